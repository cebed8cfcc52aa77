using System.Text.Json;

namespace SeasonalGrains.Simulation.Scenarios;

/// <summary>
/// Reads the members of one JSON object, collecting an error (naming the full key, e.g.
/// <c>costs.holding.annualRate</c>) for every missing, mistyped, out-of-range or unknown member.
/// </summary>
internal sealed class JsonObjectReader
{
    private readonly JsonElement _element;
    private readonly List<string> _errors;
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);

    public JsonObjectReader(JsonElement element, string path, List<string> errors)
    {
        _element = element;
        PathPrefix = path;
        _errors = errors;
    }

    public string PathPrefix { get; }

    public string PathOf(string key) => PathPrefix.Length == 0 ? key : $"{PathPrefix}.{key}";

    public void Error(string key, string message) => _errors.Add($"{PathOf(key)}: {message}");

    public bool Has(string key)
    {
        _known.Add(key);
        return _element.TryGetProperty(key, out var v) && v.ValueKind != JsonValueKind.Null;
    }

    public string? String(string key, bool required = false)
    {
        if (!TryGet(key, required, JsonValueKind.String, "a string", out var v))
        {
            return null;
        }

        var s = v.GetString()!;
        if (required && string.IsNullOrWhiteSpace(s))
        {
            Error(key, "must not be empty");
            return null;
        }

        return s;
    }

    public double? Number(string key, double min = double.NegativeInfinity, double max = double.PositiveInfinity, bool exclusiveMin = false, bool exclusiveMax = false, bool required = false)
    {
        if (!TryGet(key, required, out var v))
        {
            return null;
        }

        return CheckNumber(v, PathOf(key), min, max, exclusiveMin, exclusiveMax);
    }

    public int? Int(string key, int min = int.MinValue, int max = int.MaxValue, bool required = false)
    {
        if (!TryGet(key, required, out var v))
        {
            return null;
        }

        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out var i))
        {
            Error(key, $"must be a whole number (got {Describe(v)})");
            return null;
        }

        if (i < min || i > max)
        {
            Error(key, max == int.MaxValue ? $"must be at least {min} (got {i})" : $"must be between {min} and {max} (got {i})");
            return null;
        }

        return i;
    }

    public bool? Bool(string key)
    {
        if (!TryGet(key, false, out var v))
        {
            return null;
        }

        if (v.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            Error(key, $"must be true or false (got {Describe(v)})");
            return null;
        }

        return v.GetBoolean();
    }

    public DateOnly? Date(string key, bool required = false)
    {
        var s = String(key, required);
        if (s is null)
        {
            return null;
        }

        if (!DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            Error(key, $"must be a date yyyy-MM-dd (got '{s}')");
            return null;
        }

        return d;
    }

    /// <summary>One of <paramref name="choices"/> (case-sensitive, as written in the README).</summary>
    public string? Choice(string key, params string[] choices)
    {
        var s = String(key);
        if (s is null)
        {
            return null;
        }

        if (System.Array.IndexOf(choices, s) < 0)
        {
            Error(key, $"must be one of {string.Join(", ", choices.Select(c => $"'{c}'"))} (got '{s}')");
            return null;
        }

        return s;
    }

    public JsonObjectReader? Object(string key, bool required = false)
    {
        return TryGet(key, required, JsonValueKind.Object, "an object", out var v)
            ? new JsonObjectReader(v, PathOf(key), _errors)
            : null;
    }

    /// <summary>The elements of an array member with the path of each (<c>policies[2]</c>).</summary>
    public IReadOnlyList<(JsonElement Element, string Path)>? Array(string key, bool required = false)
    {
        return TryGet(key, required, JsonValueKind.Array, "an array", out var v)
            ? v.EnumerateArray().Select((e, i) => (e, $"{PathOf(key)}[{i}]")).ToList()
            : null;
    }

    /// <summary>An object whose members are all numbers (policy parameters).</summary>
    public Dictionary<string, double>? NumberMap(string key) => Object(key)?.AllNumbers();

    /// <summary>Every member of this object as a number.</summary>
    public Dictionary<string, double> AllNumbers()
    {
        var map = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var p in _element.EnumerateObject())
        {
            _known.Add(p.Name);
            if (CheckNumber(p.Value, PathOf(p.Name), double.NegativeInfinity, double.PositiveInfinity, false, false) is { } d)
            {
                map[p.Name] = d;
            }
        }

        return map;
    }

    /// <summary>Every member of this object as an object of numbers (perCategory, perSku).</summary>
    public Dictionary<string, IReadOnlyDictionary<string, double>> AllNumberMaps()
    {
        var map = new Dictionary<string, IReadOnlyDictionary<string, double>>(StringComparer.Ordinal);
        foreach (var p in _element.EnumerateObject())
        {
            if (Object(p.Name) is { } inner)
            {
                map[p.Name] = inner.AllNumbers();
            }
        }

        return map;
    }

    /// <summary>Reports every member that no read asked for (a typo, or a key of another version).</summary>
    public void RejectUnknown()
    {
        foreach (var p in _element.EnumerateObject())
        {
            if (!_known.Contains(p.Name))
            {
                var known = string.Join(", ", _known.Order(StringComparer.Ordinal));
                Error(p.Name, $"unknown key (known here: {known})");
            }
        }
    }

    /// <summary>
    /// Reports every key given more than once in one object, anywhere under <paramref name="element"/> (JSON would let
    /// the last one win silently, so the file would mean something other than it seems to say).
    /// </summary>
    public static void RejectDuplicates(JsonElement element, string path, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var p in element.EnumerateObject())
                {
                    var at = path.Length == 0 ? p.Name : $"{path}.{p.Name}";
                    if (!seen.Add(p.Name))
                    {
                        errors.Add($"{at}: the key is given more than once in the same object (give each key once)");
                        continue;
                    }

                    RejectDuplicates(p.Value, at, errors);
                }

                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    RejectDuplicates(item, $"{path}[{i++}]", errors);
                }

                break;
        }
    }

    public static string Describe(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => $"\"{v.GetString()}\"",
        JsonValueKind.Number => v.GetRawText(),
        JsonValueKind.True or JsonValueKind.False => v.GetRawText(),
        JsonValueKind.Null => "null",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        _ => v.ValueKind.ToString(),
    };

    private double? CheckNumber(JsonElement v, string path, double min, double max, bool exclusiveMin, bool exclusiveMax)
    {
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out var d) || !double.IsFinite(d))
        {
            _errors.Add($"{path}: must be a number (got {Describe(v)})");
            return null;
        }

        var belowMin = exclusiveMin ? d <= min : d < min;
        var aboveMax = exclusiveMax ? d >= max : d > max;
        if (belowMin || aboveMax)
        {
            var lo = double.IsNegativeInfinity(min) ? null : (exclusiveMin ? "> " : ">= ") + min.ToString(CultureInfo.InvariantCulture);
            var hi = double.IsPositiveInfinity(max) ? null : (exclusiveMax ? "< " : "<= ") + max.ToString(CultureInfo.InvariantCulture);
            _errors.Add($"{path}: must be {string.Join(" and ", new[] { lo, hi }.Where(x => x is not null))} (got {v.GetRawText()})");
            return null;
        }

        return d;
    }

    private bool TryGet(string key, bool required, out JsonElement value)
    {
        _known.Add(key);
        if (_element.TryGetProperty(key, out value) && value.ValueKind != JsonValueKind.Null)
        {
            return true;
        }

        if (required)
        {
            Error(key, "is required");
        }

        return false;
    }

    /// <summary>Like <see cref="TryGet(string, bool, out JsonElement)"/>, and reports a value that is not of <paramref name="kind"/> (<paramref name="mustBe"/>).</summary>
    private bool TryGet(string key, bool required, JsonValueKind kind, string mustBe, out JsonElement value)
    {
        if (!TryGet(key, required, out value))
        {
            return false;
        }

        if (value.ValueKind != kind)
        {
            Error(key, $"must be {mustBe} (got {Describe(value)})");
            return false;
        }

        return true;
    }
}
