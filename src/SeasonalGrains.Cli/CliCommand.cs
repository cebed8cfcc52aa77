namespace SeasonalGrains.Cli;

/// <summary>
/// One command of the <c>seasonal</c> tool. Every concrete subclass in this assembly is found and
/// added, so adding a command is adding a class. <see cref="Path"/> places it: <c>["replay"]</c> or,
/// under a group, <c>["bench", "replay"]</c> (groups are created as needed).
/// </summary>
public abstract class CliCommand
{
    public abstract IReadOnlyList<string> Path { get; }

    public abstract string Description { get; }

    /// <summary>The command's options and arguments.</summary>
    public abstract IEnumerable<Symbol> Symbols { get; }

    /// <summary>
    /// Runs the command; returns the exit code. Bad input is reported by throwing <see cref="UserInputException"/>,
    /// a scenario or dataset exception; <see cref="SeasonalCli"/> turns those into exit code 2.
    /// </summary>
    public abstract Task<int> ExecuteAsync(ParseResult parse, CliContext context, CancellationToken cancellationToken);
}

/// <summary>Bad command-line input detected by a command (exit code 2, message without a stack trace).</summary>
public sealed class UserInputException(string message) : Exception(message);
