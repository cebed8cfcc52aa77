using SeasonalGrains.Simulation.Replay;
using SeasonalGrains.Simulation.Scenarios;

namespace SeasonalGrains.Cli;

/// <summary>
/// The <c>seasonal</c> command line: builds the command tree from every <see cref="CliCommand"/> in
/// this assembly and maps outcomes to exit codes: 0 done, 1 unexpected error, 2 bad input (arguments,
/// scenario, dataset), 130 cancelled (Ctrl+C).
/// </summary>
public static class SeasonalCli
{
    public const int Ok = 0;
    public const int Unexpected = 1;
    public const int BadInput = 2;
    public const int Cancelled = 130;

    /// <summary>How many dataset errors are printed before the count of the rest.</summary>
    public const int DatasetErrorsShown = 20;

    private static readonly Dictionary<string, string> GroupDescriptions = new(StringComparer.Ordinal)
    {
        ["import"] = "Convert public datasets into dataset folders.",
        ["bench"] = "Measure throughput.",
        ["db"] = "Manage the PostgreSQL database.",
        ["export"] = "Write stored live data as dataset folders.",
        ["models"] = "Manage the model registry (the LSTM versions live SKUs are served with).",
    };

    /// <summary>Runs the tool in this process with the process console (progress bars on a terminal, Ctrl+C handled).</summary>
    public static Task<int> RunAsync(string[] args) =>
        RunAsync(args, CliContext.ForProcess(), handleTermination: true, CancellationToken.None);

    /// <summary>Runs the tool with captured output (no progress bars); for tests and embedding.</summary>
    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default) =>
        RunAsync(args, CliContext.ForWriters(output, error), handleTermination: false, cancellationToken);

    public static async Task<int> RunAsync(string[] args, CliContext context, bool handleTermination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(context);
        var root = BuildRoot(context);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var e in parse.Errors)
            {
                context.WriteError(e.Message);
            }

            context.Error.WriteLine("Run 'seasonal --help' (or 'seasonal <command> --help') for usage.");
            return BadInput;
        }

        var invocation = new InvocationConfiguration
        {
            Output = context.Output,
            Error = context.Error,
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = handleTermination ? TimeSpan.FromSeconds(10) : null,
        };
        return await parse.InvokeAsync(invocation, cancellationToken);
    }

    public static RootCommand BuildRoot(CliContext context)
    {
        var root = new RootCommand("SeasonalGrains: replay, forecast and serve seasonal inventory with Orleans grains.");
        var commands = typeof(SeasonalCli).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(CliCommand).IsAssignableFrom(t) && t.GetConstructor(Type.EmptyTypes) is not null)
            .Select(t => (CliCommand)Activator.CreateInstance(t)!)
            .OrderBy(c => string.Join(' ', c.Path), StringComparer.Ordinal);
        foreach (var command in commands)
        {
            Add(root, command, context);
        }

        return root;
    }

    private static void Add(RootCommand root, CliCommand command, CliContext context)
    {
        if (command.Path.Count == 0)
        {
            throw new InvalidOperationException($"{command.GetType().Name} has an empty path.");
        }

        Command parent = root;
        foreach (var group in command.Path.Take(command.Path.Count - 1))
        {
            var existing = parent.Subcommands.FirstOrDefault(c => c.Name == group);
            if (existing is null)
            {
                existing = new Command(group, GroupDescriptions.GetValueOrDefault(group, $"The {group} commands."));
                parent.Add(existing);
            }

            parent = existing;
        }

        var name = command.Path[^1];
        if (parent.Subcommands.Any(c => c.Name == name))
        {
            throw new InvalidOperationException($"Two commands are named '{string.Join(' ', command.Path)}'.");
        }

        var cmd = new Command(name, command.Description);
        foreach (var symbol in command.Symbols)
        {
            switch (symbol)
            {
                case Option option:
                    cmd.Add(option);
                    break;
                case Argument argument:
                    cmd.Add(argument);
                    break;
                default:
                    throw new InvalidOperationException($"{command.GetType().Name}: unsupported symbol {symbol.GetType().Name}.");
            }
        }

        cmd.SetAction((parse, token) => Guard(command, parse, context, token));
        parent.Add(cmd);
    }

    private static async Task<int> Guard(CliCommand command, ParseResult parse, CliContext context, CancellationToken token)
    {
        try
        {
            return await command.ExecuteAsync(parse, context, token);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            context.WriteError("cancelled; nothing was written.");
            return Cancelled;
        }
        catch (DatasetLoadException e)
        {
            WriteDatasetErrors(context, e.Folder, e.Errors);
            return BadInput;
        }
        catch (DatasetValidationException e)
        {
            WriteDatasetErrors(context, null, e.Errors);
            return BadInput;
        }
        catch (ScenarioException e)
        {
            context.WriteError(e.Message);
            return BadInput;
        }
        catch (UserInputException e)
        {
            context.WriteError(e.Message);
            return BadInput;
        }
        catch (OutputFolderException e)
        {
            context.WriteError("--out: " + e.Message + " Nothing was written.");
            return BadInput;
        }
        catch (Exception e)
        {
            context.WriteError("unexpected failure: " + e);
            return Unexpected;
        }
    }

    /// <summary>The first <see cref="DatasetErrorsShown"/> errors as <c>file:line:column: reason</c>, then the count.</summary>
    public static void WriteDatasetErrors(CliContext context, string? folder, IReadOnlyList<DatasetError> errors)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(errors);
        context.WriteError(folder is null
            ? $"the dataset has {errors.Count} error(s):"
            : $"the dataset {folder} has {errors.Count} error(s):");
        foreach (var e in errors.Take(DatasetErrorsShown))
        {
            context.Error.WriteLine("  " + e);
        }

        if (errors.Count > DatasetErrorsShown)
        {
            context.Error.WriteLine($"  ... and {errors.Count - DatasetErrorsShown} more");
        }

        context.Error.WriteLine("Nothing was written.");
    }
}
