using System.Globalization;
using System.Text.RegularExpressions;

namespace SeasonalGrains.Abstractions.Live;

/// <summary>
/// Ids of live SKUs and their orders. A SKU id is 1-100 characters of letters, digits, '.', '_' and
/// '-', starting with a letter or digit (so it fits a URL path and a grain key as it is). An order id is
/// <c>{sku}@{yyyy-MM-dd}</c>, the SKU and the business day the order is for, so the SKU of an order is
/// read from its id.
/// </summary>
public static partial class LiveOrderIds
{
    public const int MaxSkuLength = 100;

    private const char Separator = '@';
    private const string DateFormat = "yyyy-MM-dd";

    /// <summary>Why <paramref name="sku"/> cannot be a live SKU id, or null when it can.</summary>
    public static string? CheckSku(string? sku)
    {
        if (string.IsNullOrEmpty(sku))
        {
            return "A SKU id is required.";
        }

        if (sku.Length > MaxSkuLength)
        {
            return $"A SKU id has at most {MaxSkuLength} characters (got {sku.Length}).";
        }

        return SkuPattern().IsMatch(sku)
            ? null
            : "A SKU id may hold only letters, digits, '.', '_' and '-', and starts with a letter or digit.";
    }

    public static string For(string sku, DateOnly forDate) =>
        string.Concat(sku, Separator.ToString(), forDate.ToString(DateFormat, CultureInfo.InvariantCulture));

    /// <summary>Splits an order id into its SKU and day; false when it is not one.</summary>
    public static bool TryParse(string? orderId, out string sku, out DateOnly forDate)
    {
        sku = "";
        forDate = default;
        if (string.IsNullOrEmpty(orderId))
        {
            return false;
        }

        var at = orderId.LastIndexOf(Separator);
        if (at <= 0 || !DateOnly.TryParseExact(orderId.AsSpan(at + 1), DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out forDate))
        {
            return false;
        }

        sku = orderId[..at];
        return CheckSku(sku) is null;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex SkuPattern();
}
