namespace SeasonalGrains.Domain.Policies;

/// <summary>
/// The rule-engine baseline planners use without a forecast: min-max in units, with both
/// levels raised by an uplift in the days before a holiday.
/// </summary>
public sealed class RuleEnginePolicy : IReorderPolicy
{
    public const string PolicyName = "rule";

    public RuleEnginePolicy(double min, double max, double uplift, int upliftDays)
    {
        if (max < min)
        {
            throw new ArgumentException($"The rule policy needs max >= min (got min = {min}, max = {max}).");
        }

        if (uplift < 0 || upliftDays < 0)
        {
            throw new ArgumentException("The rule policy needs uplift >= 0 and upliftDays >= 0.");
        }

        Min = min;
        Max = max;
        Uplift = uplift;
        UpliftDays = upliftDays;
    }

    public string Name => PolicyName;

    public double Min { get; }

    public double Max { get; }

    /// <summary>Fractional raise of min and max before a holiday (0.3 = +30%).</summary>
    public double Uplift { get; }

    /// <summary>How many days before a holiday the uplift applies (holiday day included).</summary>
    public int UpliftDays { get; }

    public double Order(in ReviewContext context)
    {
        var factor = context.DaysToNextHoliday <= UpliftDays ? 1 + Uplift : 1;
        var position = context.InventoryPosition;
        return position <= Min * factor ? (Max * factor) - position : 0;
    }
}

public sealed class RuleEnginePolicyFactory() : PolicyFactory(
    RuleEnginePolicy.PolicyName,
    "Min-max with a pre-holiday uplift. min/max in units, or as days of cover minDays/maxDays of the history's mean " +
    "(defaults L+R and L+R+14); uplift (default 0.3) applies within upliftDays (default 14) before a holiday.",
    ["min", "max", "minDays", "maxDays", "uplift", "upliftDays"],
    Build)
{
    public const double DefaultUplift = 0.3;
    public const int DefaultUpliftDays = 14;
    public const double DefaultExtraCoverDays = 14;

    private static RuleEnginePolicy Build(PolicyInputs inputs)
    {
        var protection = inputs.ProtectionDays;
        var mean = inputs.History.Mean;
        var min = inputs.Parameter("min") ?? (mean * (inputs.Parameter("minDays") ?? protection));
        var max = inputs.Parameter("max") ?? (mean * (inputs.Parameter("maxDays") ?? (protection + DefaultExtraCoverDays)));
        var upliftDays = inputs.Parameter("upliftDays") ?? DefaultUpliftDays;
        return new RuleEnginePolicy(min, Math.Max(min, max), inputs.Parameter("uplift") ?? DefaultUplift, (int)upliftDays);
    }
}
