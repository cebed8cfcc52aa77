using SeasonalGrains.Domain.Statistics;

namespace SeasonalGrains.Domain.Policies;

/// <summary>
/// Order up to the mean forecast over the protection interval n = L + R plus a safety stock
/// z x sd x sqrt(n), where sd is the standard deviation of recent one-day forecast errors
/// (<see cref="IForecastErrorOutlook.ErrorStandardDeviation"/>), treated as independent across days.
/// When the outlook has no error record, <see cref="FallbackStandardDeviation"/> (the daily sd of the
/// history before the replay) stands in; with neither, the review fails with a clear error.
/// </summary>
public sealed class ForecastSafetyStockPolicy : IReorderPolicy
{
    public const string PolicyName = "forecast-safety-stock";

    public ForecastSafetyStockPolicy(double safetyFactor, double? fallbackStandardDeviation = null)
    {
        if (!double.IsFinite(safetyFactor))
        {
            throw new ArgumentOutOfRangeException(nameof(safetyFactor), safetyFactor, $"Policy '{PolicyName}' needs a finite safety factor z.");
        }

        if (fallbackStandardDeviation is { } sd && !(sd >= 0 && double.IsFinite(sd)))
        {
            throw new ArgumentOutOfRangeException(nameof(fallbackStandardDeviation), sd, "The fallback standard deviation must be a finite number >= 0.");
        }

        SafetyFactor = safetyFactor;
        FallbackStandardDeviation = fallbackStandardDeviation;
    }

    public string Name => PolicyName;

    /// <summary>z: standard deviations of interval error held as safety stock.</summary>
    public double SafetyFactor { get; }

    public double? FallbackStandardDeviation { get; }

    /// <summary>The daily error sd used at this review.</summary>
    public double ErrorStandardDeviation(in ReviewContext context)
    {
        var outlook = ForecastPolicySupport.RequireOutlook(context, PolicyName);
        return (outlook as IForecastErrorOutlook)?.ErrorStandardDeviation
            ?? FallbackStandardDeviation
            ?? throw new InvalidOperationException(
                $"Policy '{PolicyName}' on review day {context.Day}: the outlook has no forecast-error record and no history sd was given to fall back on.");
    }

    /// <summary>The order-up-to level of this review: mean + z x sd x sqrt(L + R).</summary>
    public double Target(in ReviewContext context)
    {
        var outlook = ForecastPolicySupport.RequireOutlook(context, PolicyName);
        var days = context.ProtectionDays;
        return outlook.Mean(0, days) + (SafetyFactor * ErrorStandardDeviation(context) * Math.Sqrt(days));
    }

    public double Order(in ReviewContext context) => Math.Max(0, Target(context) - context.InventoryPosition);

    /// <summary>The policy from a SKU's inputs (the builder of its <see cref="PolicyFactory"/>).</summary>
    internal static ForecastSafetyStockPolicy FromInputs(PolicyInputs inputs)
    {
        var z = inputs.Parameter("z");
        var level = inputs.Parameter("serviceLevel");
        if (z is not null && level is not null)
        {
            throw new ArgumentException($"Policy '{PolicyName}' takes 'z' or 'serviceLevel', not both.");
        }

        if (level is { } l && !(l > 0 && l < 1))
        {
            throw new ArgumentException($"Policy '{PolicyName}' needs serviceLevel strictly between 0 and 1 (got {l}).");
        }

        var factor = z ?? Normal.InverseCdf(level ?? inputs.TargetServiceLevel);
        double? fallback = inputs.History.Days > 1 ? inputs.History.StandardDeviation : null;
        return new ForecastSafetyStockPolicy(factor, fallback);
    }
}
