using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;

namespace SeasonalGrains.Grains.Live.Registry;

/// <summary>
/// A version of a registered model, written <c>NAME@VERSION</c> (<c>down-jackets@2</c>): versions are numbered per
/// name from 1. A name is 1-100 letters, digits, '.', '_' or '-', starting with a letter or digit.
/// </summary>
public readonly partial record struct ModelVersionId(string Name, int Version)
{
    public const int MaxNameLength = 100;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name}@{Version}");

    /// <summary>Why <paramref name="name"/> cannot name a model, or null when it can.</summary>
    public static string? NameProblem(string? name) =>
        string.IsNullOrEmpty(name) ? "a model name is required"
        : name.Length > MaxNameLength ? $"a model name has at most {MaxNameLength} characters (got {name.Length})"
        : NamePattern().IsMatch(name) ? null
        : $"'{name}' is not a model name: use letters, digits, '.', '_' and '-', starting with a letter or digit";

    /// <summary>Reads <c>NAME@VERSION</c>; false (with the reason) for anything else.</summary>
    public static bool TryParse(string? text, out ModelVersionId id, [NotNullWhen(false)] out string? problem)
    {
        id = default;
        var at = text?.LastIndexOf('@') ?? -1;
        if (text is null || at < 0)
        {
            problem = $"'{text}' is not NAME@VERSION (e.g. down-jackets@2)";
            return false;
        }

        var name = text[..at];
        if (NameProblem(name) is { } bad)
        {
            problem = bad;
            return false;
        }

        if (!int.TryParse(text.AsSpan(at + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var version) || version < 1)
        {
            problem = $"'{text}' is not NAME@VERSION: the version is a whole number from 1";
            return false;
        }

        id = new ModelVersionId(name, version);
        problem = null;
        return true;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
