using System.Text.Json;
using System.Text.Json.Serialization;

namespace SeasonalGrains.Data.Io;

/// <summary>Reads and writes dataset.json (camelCase: name, source, licence, start, end, notes).</summary>
internal static class DatasetJson
{
    private static readonly string[] Known = ["name", "source", "licence", "start", "end", "notes"];

    private static readonly JsonSerializerOptions WriteOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Serialize(DatasetInfo info, DateOnly start, DateOnly end) =>
        JsonSerializer.Serialize(
            new Dto(info.Name, info.Source, info.Licence, CsvFormat.FormatDate(start), CsvFormat.FormatDate(end), info.Notes),
            WriteOptions) + "\n";

    public static DatasetInfo? Read(string path, ErrorList errors)
    {
        const string File = DatasetFiles.Info;
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(System.IO.File.ReadAllText(path), new JsonDocumentOptions
            {
                AllowTrailingCommas = true,
                CommentHandling = JsonCommentHandling.Skip,
            });
        }
        catch (JsonException ex)
        {
            errors.Add(File, (int)(ex.LineNumber ?? -1) + 1, null, $"invalid JSON: {ex.Message}");
            return null;
        }

        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                errors.Add(File, 1, null, "expected a JSON object");
                return null;
            }

            var before = errors.Count;
            string? name = null, source = null, licence = null, notes = null;
            DateOnly? start = null, end = null;
            foreach (var property in doc.RootElement.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "name":
                        name = ReadString(property, errors);
                        break;
                    case "source":
                        source = ReadString(property, errors);
                        break;
                    case "licence":
                        licence = ReadString(property, errors);
                        break;
                    case "notes":
                        notes = property.Value.ValueKind == JsonValueKind.Null ? null : ReadString(property, errors);
                        break;
                    case "start":
                        start = ReadDate(property, errors);
                        break;
                    case "end":
                        end = ReadDate(property, errors);
                        break;
                    default:
                        var hint = property.Name.Equals("license", StringComparison.OrdinalIgnoreCase) ? " (the property is spelt 'licence')" : "";
                        errors.Add(File, 0, property.Name, $"unknown property '{property.Name}'{hint}; expected {string.Join(", ", Known)}");
                        break;
                }
            }

            if (string.IsNullOrWhiteSpace(name))
            {
                errors.Add(File, 0, "name", "required property 'name' is missing or empty");
            }

            if (start is null)
            {
                errors.Add(File, 0, "start", "required property 'start' (yyyy-MM-dd) is missing");
            }

            if (end is null)
            {
                errors.Add(File, 0, "end", "required property 'end' (yyyy-MM-dd) is missing");
            }

            if (start is { } s && end is { } e && e < s)
            {
                errors.Add(File, 0, "end", $"end {CsvFormat.FormatDate(e)} is before start {CsvFormat.FormatDate(s)}");
            }

            if (errors.Count > before || name is null || start is null || end is null)
            {
                return null;
            }

            return new DatasetInfo(name, source ?? "", licence ?? "", start.Value, end.Value, notes);
        }
    }

    private static string? ReadString(JsonProperty property, ErrorList errors)
    {
        if (property.Value.ValueKind == JsonValueKind.String)
        {
            return property.Value.GetString();
        }

        errors.Add(DatasetFiles.Info, 0, property.Name, $"expected a string, found {property.Value.ValueKind}");
        return null;
    }

    private static DateOnly? ReadDate(JsonProperty property, ErrorList errors)
    {
        if (property.Value.ValueKind == JsonValueKind.String && CsvFormat.TryParseDate(property.Value.GetString(), out var date))
        {
            return date;
        }

        errors.Add(DatasetFiles.Info, 0, property.Name, $"'{property.Value}' is not a date (expected yyyy-MM-dd)");
        return null;
    }

    private sealed record Dto(string Name, string Source, string Licence, string Start, string End, string? Notes);
}
