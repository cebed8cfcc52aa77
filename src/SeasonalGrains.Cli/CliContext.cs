namespace SeasonalGrains.Cli;

/// <summary>Where a command writes: a Spectre console for results and progress, a plain writer for errors.</summary>
public sealed class CliContext(IAnsiConsole console, TextWriter output, TextWriter error, bool interactive)
{
    private const int RedirectedWidth = 140;

    public IAnsiConsole Console { get; } = console;

    /// <summary>The plain writer behind <see cref="Console"/> (help text).</summary>
    public TextWriter Output { get; } = output;

    public TextWriter Error { get; } = error;

    /// <summary>True on a terminal: progress bars are drawn. False when output is captured or redirected.</summary>
    public bool Interactive { get; } = interactive;

    /// <summary>The process console (progress bars when it is a terminal).</summary>
    public static CliContext ForProcess()
    {
        var interactive = !System.Console.IsOutputRedirected && !System.Console.IsErrorRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(System.Console.Out),
            Interactive = interactive ? InteractionSupport.Yes : InteractionSupport.No,
        });
        if (System.Console.IsOutputRedirected)
        {
            // a file or pipe has no width; tables get room for every column
            console.Profile.Width = RedirectedWidth;
        }

        return new CliContext(console, System.Console.Out, System.Console.Error, interactive);
    }

    /// <summary>Plain text to the given writers (no colours, no progress bars): for tests and pipes.</summary>
    public static CliContext ForWriters(TextWriter output, TextWriter error)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = RedirectedWidth;
        return new CliContext(console, output, error, interactive: false);
    }

    public void WriteError(string message) => Error.WriteLine("error: " + message);
}
