using System.Text.Json;
using System.Text.Json.Nodes;

namespace SeasonalGrains.Simulation.Reports;

/// <summary>How the files of replays, comparisons and season reports are written: UTF-8 without a byte order mark, JSON indented and ending with a line end.</summary>
internal static class ReportFiles
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Writes <paramref name="content"/> as the file <paramref name="name"/> in <paramref name="folder"/>; returns its path.</summary>
    public static string WriteText(string folder, string name, string content)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, content, Utf8NoBom);
        return path;
    }

    /// <summary>The text of a JSON file.</summary>
    public static string Json(JsonNode node) => node.ToJsonString(Indented) + "\n";
}
