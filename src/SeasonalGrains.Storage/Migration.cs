using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace SeasonalGrains.Storage;

/// <summary>One versioned schema change: a SQL script applied once, in version order.</summary>
/// <param name="Version">Positive, unique, increasing version number (the file's four-digit prefix).</param>
/// <param name="Name">The file name without extension, e.g. <c>0002_persistence</c>.</param>
/// <param name="Sql">The script text (line endings normalised to LF).</param>
public sealed partial record Migration(int Version, string Name, string Sql)
{
    private const string ResourcePrefix = "Migrations/";

    /// <summary>SHA-256 of the script text (hex, lower case); recorded when applied and checked afterwards.</summary>
    public string Checksum { get; } = ComputeChecksum(Sql);

    /// <summary>Builds a migration from a file name such as <c>0003_clustering.sql</c> and its text.</summary>
    public static Migration FromFile(string fileName, string sql)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(sql);
        var match = FileNamePattern().Match(Path.GetFileName(fileName));
        if (!match.Success)
        {
            throw new ArgumentException(
                $"Migration file name '{fileName}' must look like 0001_some_name.sql (four digits, underscore, lower-case name).",
                nameof(fileName));
        }

        var version = int.Parse(match.Groups["version"].Value, CultureInfo.InvariantCulture);
        if (version <= 0)
        {
            throw new ArgumentException($"Migration file name '{fileName}' has version 0; versions start at 1.", nameof(fileName));
        }

        return new Migration(version, Path.GetFileNameWithoutExtension(fileName), sql.ReplaceLineEndings("\n"));
    }

    /// <summary>The migrations shipped in this assembly, ordered by version.</summary>
    public static IReadOnlyList<Migration> LoadEmbedded()
    {
        var assembly = typeof(Migration).Assembly;
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            {
                continue;
            }

            migrations.Add(FromFile(resource[ResourcePrefix.Length..], ReadResource(assembly, resource)));
        }

        return migrations.OrderBy(m => m.Version).ToArray();
    }

    private static string ReadResource(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded migration '{resource}' could not be opened.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private static string ComputeChecksum(string sql) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sql.ReplaceLineEndings("\n"))));

    [GeneratedRegex(@"^(?<version>\d{4})_[a-z0-9_]+\.sql$", RegexOptions.CultureInvariant)]
    private static partial Regex FileNamePattern();
}
