using System.Text.Json.Serialization.Metadata;

namespace SeasonalGrains.Host.Api;

/// <summary>
/// Why a JSON request body could not be read as its request type, every problem at once: malformed or truncated
/// JSON (as such, not as a wrong type), a key given twice in one object, a key that is not a field (names are
/// case-sensitive), and every field whose value has the wrong type, enum fields with their allowed values.
/// The binder stops at the first problem; this walks the whole body against the type's JSON contract.
/// </summary>
public static class JsonBodyErrors
{
    public static FieldErrors Explain(ReadOnlyMemory<byte> body, Type type, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(options);
        var errors = new FieldErrors();
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = options.MaxDepth });
        }
        catch (JsonException e)
        {
            errors.Add("body", IsTruncated(body.Span)
                ? "is truncated: the JSON ends before its last value or object is complete."
                : $"is not well-formed JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}).");
            return errors;
        }

        using (document)
        {
            Walk(document.RootElement, options.GetTypeInfo(type), null, options, errors);
        }

        return errors;
    }

    private static void Walk(JsonElement element, JsonTypeInfo info, string? path, JsonSerializerOptions options, FieldErrors errors)
    {
        if (element.ValueKind == JsonValueKind.Null)
        {
            return; // every request field may be left out; a missing required one is reported by the mapping
        }

        var field = path ?? "body";
        switch (info.Kind)
        {
            case JsonTypeInfoKind.Object when info.Properties.Count > 0:
                if (element.ValueKind != JsonValueKind.Object)
                {
                    errors.Add(field, "must be a JSON object.");
                    return;
                }

                foreach (var (name, value, at) in Members(element, path, errors))
                {
                    if (info.Properties.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.Ordinal)) is not { } property)
                    {
                        errors.Add(at, "is not a field of this request (field names are case-sensitive).");
                        continue;
                    }

                    Walk(value, options.GetTypeInfo(property.PropertyType), at, options, errors);
                }

                return;
            case JsonTypeInfoKind.Dictionary:
                if (element.ValueKind != JsonValueKind.Object)
                {
                    errors.Add(field, "must be a JSON object.");
                    return;
                }

                foreach (var (_, value, at) in Members(element, path, errors))
                {
                    Walk(value, options.GetTypeInfo(info.ElementType!), at, options, errors);
                }

                return;
            case JsonTypeInfoKind.Enumerable:
                if (element.ValueKind != JsonValueKind.Array)
                {
                    errors.Add(field, "must be a JSON array.");
                    return;
                }

                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Walk(item, options.GetTypeInfo(info.ElementType!), $"{field}[{i++}]", options, errors);
                }

                return;
            default:
                try
                {
                    _ = element.Deserialize(info);
                }
                catch (JsonException)
                {
                    errors.Add(field, Expected(Nullable.GetUnderlyingType(info.Type) ?? info.Type, options));
                }

                return;
        }
    }

    /// <summary>The members of an object with their field paths; a key given twice is an error (and only its first value is looked at).</summary>
    private static List<(string Name, JsonElement Value, string Path)> Members(JsonElement element, string? path, FieldErrors errors)
    {
        var members = new List<(string, JsonElement, string)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in element.EnumerateObject())
        {
            var at = path is null ? member.Name : $"{path}.{member.Name}";
            if (!seen.Add(member.Name))
            {
                errors.Add(at, "is given more than once; give each field once.");
                continue;
            }

            members.Add((member.Name, member.Value, at));
        }

        return members;
    }

    private static string Expected(Type type, JsonSerializerOptions options) => type switch
    {
        _ when type == typeof(double) || type == typeof(float) || type == typeof(decimal) => "must be a finite JSON number.",
        _ when type == typeof(int) || type == typeof(long) => "must be a whole JSON number.",
        _ when type == typeof(string) => "must be a JSON string.",
        _ when type == typeof(bool) => "must be true or false.",
        _ when type == typeof(DateOnly) => "must be a date yyyy-MM-dd.",
        { IsEnum: true } => "must be one of " + string.Join(", ", Enum.GetValues(type).Cast<object>().Select(v => JsonSerializer.Serialize(v, type, options).Replace('"', '\''))) + ".",
        _ => "has a value of the wrong type.",
    };

    /// <summary>Whether the body is JSON so far that stops before it is complete (a cut-off request).</summary>
    private static bool IsTruncated(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body, isFinalBlock: false, state: default);
        try
        {
            while (reader.Read())
            {
            }
        }
        catch (JsonException)
        {
            return false;
        }

        return reader.CurrentDepth > 0 || reader.TokenType is JsonTokenType.None or JsonTokenType.PropertyName;
    }
}
