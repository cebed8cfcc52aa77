namespace SeasonalGrains.Cli;

/// <summary>
/// The rule every command that writes a folder follows (<see cref="OutputFolder"/>): <c>--out</c> is checked before any
/// work (an existing file is refused; an existing folder that is not empty is refused unless <c>--force</c>), and the
/// results are written to a temporary sibling folder that replaces the target whole at the end.
/// </summary>
internal static class OutputOptions
{
    /// <summary>A new <c>--force</c> option (each command owns its symbols).</summary>
    public static Option<bool> Force() => new("--force")
    {
        Description = "Replace the --out folder whole if it exists and is not empty (without it, such a folder is refused).",
    };

    /// <summary>The required <c>--out</c> dataset folder a command writes.</summary>
    public static Option<DirectoryInfo> DatasetFolder() =>
        CliOptions.Required<DirectoryInfo>("--out", "-o", "The dataset folder to write.");
}
