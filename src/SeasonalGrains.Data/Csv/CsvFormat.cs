using System.Text;

namespace SeasonalGrains.Data.Csv;

/// <summary>Invariant-culture parsing and formatting of the values in dataset files.</summary>
public static class CsvFormat
{
    public const string DateFormat = "yyyy-MM-dd";

    /// <summary>Parses an ISO date <c>yyyy-MM-dd</c> (exactly ten characters).</summary>
    public static bool TryParseDate(ReadOnlySpan<char> s, out DateOnly date)
    {
        date = default;
        if (s.Length != 10 || s[4] != '-' || s[7] != '-')
        {
            return false;
        }

        if (!TryDigits(s[..4], out var year) || !TryDigits(s.Slice(5, 2), out var month) || !TryDigits(s.Slice(8, 2), out var day))
        {
            return false;
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        date = new DateOnly(year, month, day);
        return true;
    }

    /// <summary>Parses a number (invariant culture, optional exponent); NaN and infinities parse here and are rejected by callers.</summary>
    public static bool TryParseDouble(ReadOnlySpan<char> s, out double value) =>
        double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    public static bool TryParseInt(ReadOnlySpan<char> s, out int value) =>
        int.TryParse(s, NumberStyles.AllowLeadingSign | NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite, CultureInfo.InvariantCulture, out value);

    /// <summary>Parses 0/1/true/false (case-insensitive).</summary>
    public static bool TryParseFlag(ReadOnlySpan<char> s, out bool value)
    {
        s = s.Trim();
        if (s.SequenceEqual("1") || s.Equals("true", StringComparison.OrdinalIgnoreCase))
        {
            value = true;
            return true;
        }

        value = false;
        return s.SequenceEqual("0") || s.Equals("false", StringComparison.OrdinalIgnoreCase);
    }

    public static string FormatDate(DateOnly date) => date.ToString(DateFormat, CultureInfo.InvariantCulture);

    /// <summary>Shortest round-trip text of <paramref name="value"/>; empty for NaN.</summary>
    public static string FormatNumber(double value) =>
        double.IsNaN(value) ? "" : value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Appends a field, quoted per RFC 4180 when it contains a comma, quote or line break.</summary>
    public static void AppendField(StringBuilder sb, string value)
    {
        if (value.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            sb.Append(value);
            return;
        }

        sb.Append('"').Append(value.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
    }

    /// <summary>The field text of <paramref name="value"/>, quoted when needed.</summary>
    public static string Escape(string value)
    {
        var sb = new StringBuilder(value.Length + 2);
        AppendField(sb, value);
        return sb.ToString();
    }

    /// <summary>Appends a number without allocating; nothing for NaN.</summary>
    public static void AppendNumber(StringBuilder sb, double value)
    {
        if (double.IsNaN(value))
        {
            return;
        }

        Span<char> buffer = stackalloc char[32];
        if (value == Math.Floor(value) && Math.Abs(value) < 1e15)
        {
            ((long)value).TryFormat(buffer, out var n, default, CultureInfo.InvariantCulture);
            sb.Append(buffer[..n]);
            return;
        }

        value.TryFormat(buffer, out var written, "R", CultureInfo.InvariantCulture);
        sb.Append(buffer[..written]);
    }

    public static void AppendDate(StringBuilder sb, DateOnly date)
    {
        Span<char> buffer = stackalloc char[10];
        date.TryFormat(buffer, out _, DateFormat, CultureInfo.InvariantCulture);
        sb.Append(buffer);
    }

    private static bool TryDigits(ReadOnlySpan<char> s, out int value)
    {
        value = 0;
        foreach (var c in s)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }
}
