namespace SeasonalGrains.Host.Api;

/// <summary>
/// A folder of the server that requests may name paths in (the scenario folder, the replay output folder). Paths are
/// resolved after symbolic links, on every component, so a link inside the folder that points out of it is outside;
/// what the server tells a client names paths relative to the folder, never the server's own folders.
/// </summary>
public sealed class ServerFolder
{
    private readonly string _given;
    private readonly string _inside;

    /// <param name="path">The folder (made absolute; a missing folder is taken as it is written).</param>
    public ServerFolder(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        _given = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        Root = Path.TrimEndingDirectorySeparator(RealPath(_given) ?? _given);
        _inside = Root.EndsWith(Path.DirectorySeparatorChar) ? Root : Root + Path.DirectorySeparatorChar;
    }

    /// <summary>The folder, symbolic links resolved.</summary>
    public string Root { get; }

    /// <summary>
    /// The real path of <paramref name="path"/> (relative paths are taken from the root) if it lies inside the root after
    /// every symbolic link is followed; null when it lies outside or its links cannot be followed (a loop, a dangling link).
    /// </summary>
    public string? Resolve(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var full = Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(_given, path));
        return RealPath(full) is { } real && (real == Root || real.StartsWith(_inside, StringComparison.Ordinal)) ? real : null;
    }

    /// <summary><paramref name="path"/> relative to the root (<c>steady/scenario.json</c>); a path outside the root becomes its file name only.</summary>
    public string Relative(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var real = RealPath(Path.GetFullPath(path)) ?? path;
        return real == Root ? "."
            : real.StartsWith(_inside, StringComparison.Ordinal) ? real[_inside.Length..]
            : Path.GetFileName(Path.TrimEndingDirectorySeparator(path));
    }

    /// <summary><paramref name="text"/> with every mention of the root folder (as configured and as resolved) made relative to it.</summary>
    public string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var root in new[] { _given, Root }.Distinct(StringComparer.Ordinal))
        {
            text = text.Replace(root + Path.DirectorySeparatorChar, "", StringComparison.Ordinal).Replace(root, ".", StringComparison.Ordinal);
        }

        return text;
    }

    /// <summary>
    /// <paramref name="full"/> with every symbolic link in it followed (components that do not exist are kept as
    /// written); null when a link cannot be followed.
    /// </summary>
    internal static string? RealPath(string full)
    {
        try
        {
            return Follow(full, depth: 0);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string? Follow(string full, int depth)
    {
        const int MaxLinks = 40; // as Linux's own limit on links followed in one lookup
        var root = Path.GetPathRoot(full)!;
        var current = root;
        foreach (var part in full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Combine(current, part);
            FileSystemInfo info = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
            if (info.LinkTarget is not null)
            {
                if (depth >= MaxLinks)
                {
                    return null;
                }

                // a link's target is read relative to the folder holding the link
                var target = Path.GetFullPath(info.LinkTarget, current);
                var followed = Follow(target, depth + 1);
                if (followed is null)
                {
                    return null;
                }

                next = followed;
            }

            current = next;
        }

        return Path.TrimEndingDirectorySeparator(current);
    }
}
