namespace SeasonalGrains.Data.Io;

/// <summary>
/// The one way a folder of results is written (replay and compare results, backtests, models, datasets):
/// everything goes into a new temporary sibling folder (<c>.NAME.tmp-…</c>), which is swapped in for the
/// target as a whole at <see cref="Commit"/>. A failure or cancellation before then leaves the target as it
/// was, and no file of an earlier run can end up beside the new ones. The rule for the target, checked
/// before any work (<see cref="Check"/>) and again at <see cref="Commit"/>: an existing file is refused; an
/// existing folder that is not empty is refused unless <c>replace</c> is given, and then replaced whole.
/// </summary>
public sealed class OutputFolder : IDisposable
{
    private readonly bool _replace;
    private readonly Action<string, string>? _carryOver;
    private bool _committed;

    private OutputFolder(string target, string temporary, bool replace, Action<string, string>? carryOver)
    {
        Target = target;
        Temporary = temporary;
        _replace = replace;
        _carryOver = carryOver;
    }

    /// <summary>The folder the results end up in (full path).</summary>
    public string Target { get; }

    /// <summary>The folder to write into until <see cref="Commit"/>.</summary>
    public string Temporary { get; }

    /// <summary>
    /// The full path of <paramref name="path"/> if a run may write it; otherwise an <see cref="OutputFolderException"/>
    /// that says why (an existing file, a non-empty folder without <paramref name="replace"/>, a file-system root).
    /// </summary>
    public static string Check(string path, bool replace)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var target = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        if (Path.GetDirectoryName(target) is null)
        {
            throw new OutputFolderException(target, $"'{target}' is a file-system root; name a folder to write the results to.");
        }

        if (File.Exists(target))
        {
            throw new OutputFolderException(target, $"'{target}' is an existing file; name a folder to write the results to.");
        }

        if (!replace && Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any())
        {
            throw new OutputFolderException(target, $"the folder '{target}' is not empty; name a new folder, or give --force to replace it whole.");
        }

        return target;
    }

    /// <summary>
    /// Checks <paramref name="path"/> (see <see cref="Check"/>) and creates the temporary sibling folder to write into.
    /// <paramref name="carryOver"/> (existing target, temporary folder) may copy files of the old folder into the new one before the swap.
    /// </summary>
    public static OutputFolder Create(string path, bool replace, Action<string, string>? carryOver = null)
    {
        var target = Check(path, replace);
        var parent = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(parent);
        var temporary = Path.Combine(parent, $".{Path.GetFileName(target)}.tmp-{Guid.NewGuid():N}");
        Directory.CreateDirectory(temporary);
        return new OutputFolder(target, temporary, replace, carryOver);
    }

    /// <summary>Writes a folder in one call: <paramref name="write"/> fills the temporary folder, which then replaces <paramref name="path"/>. Returns the full path.</summary>
    public static string Write(string path, bool replace, Action<string> write, Action<string, string>? carryOver = null)
    {
        ArgumentNullException.ThrowIfNull(write);
        using var folder = Create(path, replace, carryOver);
        write(folder.Temporary);
        folder.Commit();
        return folder.Target;
    }

    /// <summary>Swaps the temporary folder in for the target (checked again: the target may have appeared meanwhile).</summary>
    public void Commit()
    {
        ObjectDisposedException.ThrowIf(_committed, this);
        Check(Target, _replace);
        if (Directory.Exists(Target))
        {
            _carryOver?.Invoke(Target, Temporary);
            var backup = Path.Combine(Path.GetDirectoryName(Target)!, $".{Path.GetFileName(Target)}.old-{Guid.NewGuid():N}");
            Directory.Move(Target, backup);
            Directory.Move(Temporary, Target);
            Directory.Delete(backup, recursive: true);
        }
        else
        {
            Directory.Move(Temporary, Target);
        }

        _committed = true;
    }

    /// <summary>Removes the temporary folder unless it was committed.</summary>
    public void Dispose()
    {
        if (!_committed && Directory.Exists(Temporary))
        {
            Directory.Delete(Temporary, recursive: true);
        }

        _committed = true;
    }
}

/// <summary>An output folder a run may not write (an existing file, or a non-empty folder without replace); bad input, not a failure.</summary>
public sealed class OutputFolderException(string folder, string message) : IOException(message)
{
    public string Folder { get; } = folder;
}
