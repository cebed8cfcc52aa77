using SeasonalGrains.Forecasting.Baselines;

namespace SeasonalGrains.Simulation.Compare;

/// <summary>Settings of a paired bootstrap.</summary>
/// <param name="Resamples">Bootstrap resamples (at least 100).</param>
/// <param name="Seed">Seed of the resampled SKU indices; the same seed resamples the same SKUs for every policy and metric.</param>
/// <param name="Confidence">Coverage of the percentile interval, inside (0, 1).</param>
public sealed record BootstrapOptions(int Resamples = BootstrapOptions.DefaultResamples, ulong Seed = BootstrapOptions.DefaultSeed, double Confidence = 0.95)
{
    public const int DefaultResamples = 2000;
    public const ulong DefaultSeed = 20250101;

    public void Validate()
    {
        if (Resamples < 100)
        {
            throw new ArgumentOutOfRangeException(nameof(Resamples), Resamples, "A bootstrap needs at least 100 resamples.");
        }

        if (!(Confidence > 0 && Confidence < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Confidence), Confidence, "The confidence level must lie strictly between 0 and 1.");
        }
    }
}

/// <summary>A difference (policy - baseline) with its bootstrap percentile interval.</summary>
/// <param name="Estimate">The difference on all SKUs.</param>
/// <param name="Lower">Lower end of the percentile interval.</param>
/// <param name="Upper">Upper end of the percentile interval.</param>
/// <param name="Confidence">The interval's coverage (0.95 = 95%).</param>
/// <param name="Resamples">Resamples drawn.</param>
public sealed record BootstrapInterval(double Estimate, double Lower, double Upper, double Confidence, int Resamples)
{
    /// <summary>Whether the interval lies wholly above or wholly below 0.</summary>
    public bool ExcludesZero => Lower > 0 || Upper < 0;
}

/// <summary>
/// A metric of a group of SKUs, as the ratio of two sums over the SKUs (or one sum, without a
/// denominator), so a resample's figure is the aggregate of its SKUs: fill rate is units filled /
/// units demanded over the SKUs, not the mean of per-SKU fill rates.
/// </summary>
/// <param name="Name">Short name (used in reports).</param>
/// <param name="Numerator">Per-SKU value summed on top.</param>
/// <param name="Denominator">Per-SKU value summed below; null for a plain total.</param>
/// <param name="Scale">Multiplies the ratio (e.g. 365 / days for an annual rate).</param>
/// <param name="HigherIsBetter">Direction, for readers and charts.</param>
public sealed record CompareMetric(
    string Name,
    Func<InventoryMetrics, double> Numerator,
    Func<InventoryMetrics, double>? Denominator = null,
    double Scale = 1,
    bool HigherIsBetter = false)
{
    /// <summary>Total cost over the SKUs: holding + shortage + ordering + purchase - salvage.</summary>
    public static CompareMetric TotalCost { get; } = new("total cost", m => m.TotalCost);

    /// <summary>Holding + shortage + fixed ordering cost over the SKUs.</summary>
    public static CompareMetric OperatingCost { get; } = new("operating cost", m => m.OperatingCost);

    /// <summary>Units filled on the day demanded / units demanded.</summary>
    public static CompareMetric FillRate { get; } = new("fill rate", m => m.UnitsFilledOnDemand, m => m.UnitsDemanded, HigherIsBetter: true);

    /// <summary>Review cycles without a stockout / cycles.</summary>
    public static CompareMetric CycleServiceLevel { get; } = new("cycle service level", m => m.Cycles - m.CyclesWithStockout, m => m.Cycles, HigherIsBetter: true);

    /// <summary>Stockout days summed over the SKUs.</summary>
    public static CompareMetric StockoutDays { get; } = new("stockout days", m => m.StockoutDays);

    /// <summary>Lost units summed over the SKUs.</summary>
    public static CompareMetric LostUnits { get; } = new("lost units", m => m.UnitsLost);

    /// <summary>Average on-hand value, summed over the SKUs (the value of the whole stock on an average day).</summary>
    public static CompareMetric AverageInventoryValue { get; } = new("average inventory value", m => m.AverageOnHandValue);

    /// <summary>Value left (on hand and on order, at cost) at the season end.</summary>
    public static CompareMetric LeftoverValue { get; } = new("leftover value", m => m.LeftoverValue);

    /// <summary>Annualised turnover of the SKUs' stock: cost of goods sold / average inventory value x 365 / days.</summary>
    public static CompareMetric Turnover(int days) =>
        new("turnover", m => m.CostOfGoodsSold, m => m.AverageOnHandValue, days > 0 ? 365.0 / days : throw new ArgumentOutOfRangeException(nameof(days), days, "Days must be positive."), HigherIsBetter: true);

    /// <summary>The metric of the given SKUs (NaN when the denominator sums to 0).</summary>
    public double Of(IEnumerable<InventoryMetrics> skus)
    {
        ArgumentNullException.ThrowIfNull(skus);
        double top = 0, bottom = 0;
        foreach (var m in skus)
        {
            top += Numerator(m);
            bottom += Denominator?.Invoke(m) ?? 0;
        }

        return Denominator is null ? Scale * top : bottom != 0 ? Scale * top / bottom : double.NaN;
    }
}

/// <summary>
/// Paired bootstrap over SKUs for the difference of a metric between a policy and a baseline run on
/// the same SKUs: each resample draws n SKU indices with replacement, the same indices for both,
/// and takes the difference of the metric's aggregates; the interval is the percentile interval
/// (linear-interpolation quantiles) of the resampled differences. Resampled indices depend only on
/// the seed, the resample number and n, so every policy and metric is resampled identically.
/// </summary>
public static class PairedBootstrap
{
    /// <summary>Difference of the mean of per-SKU values (policy - baseline).</summary>
    public static BootstrapInterval MeanDifference(IReadOnlyList<double> policy, IReadOnlyList<double> baseline, BootstrapOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(baseline);
        var n = CheckPaired(policy.Count, baseline.Count);
        var ones = Enumerable.Repeat(1.0, n).ToArray();
        return Run(policy.ToArray(), ones, baseline.ToArray(), ones, 1, options);
    }

    /// <summary>Difference of a metric aggregated over SKUs (policy - baseline); the lists are aligned by SKU.</summary>
    public static BootstrapInterval Difference(IReadOnlyList<InventoryMetrics> policy, IReadOnlyList<InventoryMetrics> baseline, CompareMetric metric, BootstrapOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(metric);
        var n = CheckPaired(policy.Count, baseline.Count);
        var pTop = policy.Select(metric.Numerator).ToArray();
        var bTop = baseline.Select(metric.Numerator).ToArray();
        // a total is resampled as the sum of per-SKU differences, which keeps small differences of large totals exact
        return metric.Denominator is null
            ? Run(pTop.Select((p, i) => p - bTop[i]).ToArray(), null, new double[n], null, metric.Scale, options)
            : Run(pTop, policy.Select(metric.Denominator).ToArray(), bTop, baseline.Select(metric.Denominator).ToArray(), metric.Scale, options);
    }

    /// <summary>The resampled SKU index of draw <paramref name="draw"/> in resample <paramref name="resample"/> of n SKUs.</summary>
    public static int ResampledIndex(ulong seed, int resample, int draw, int n)
    {
        var bits = CounterRandom.Mix(CounterRandom.Key(seed, (ulong)(uint)resample) + ((ulong)(uint)draw * 0x9E3779B97F4A7C15UL));
        return (int)(((bits >> 32) * (ulong)n) >> 32);
    }

    private static int CheckPaired(int policy, int baseline)
    {
        if (policy != baseline)
        {
            throw new ArgumentException($"A paired comparison needs the same SKUs for both: the policy has {policy} and the baseline {baseline}.");
        }

        if (policy == 0)
        {
            throw new ArgumentException("A comparison needs at least one SKU.");
        }

        return policy;
    }

    /// <summary>
    /// The statistic of a set of SKU indices: scale x (P - B), where P = Σ pTop / Σ pBottom (or Σ pTop
    /// without a denominator) and B likewise for the baseline.
    /// </summary>
    private static BootstrapInterval Run(double[] pTop, double[]? pBottom, double[] bTop, double[]? bBottom, double scale, BootstrapOptions? options)
    {
        var o = options ?? new BootstrapOptions();
        o.Validate();
        var n = pTop.Length;
        var all = Enumerable.Range(0, n);
        var estimate = Statistic(all, pTop, pBottom, bTop, bBottom, scale);
        var draws = new double[o.Resamples];
        var picks = new int[n];
        for (var r = 0; r < o.Resamples; r++)
        {
            for (var i = 0; i < n; i++)
            {
                picks[i] = ResampledIndex(o.Seed, r, i, n);
            }

            draws[r] = Statistic(picks, pTop, pBottom, bTop, bBottom, scale);
        }

        var finite = draws.Where(double.IsFinite).ToArray();
        if (finite.Length == 0)
        {
            return new BootstrapInterval(estimate, double.NaN, double.NaN, o.Confidence, o.Resamples);
        }

        Array.Sort(finite);
        var tail = (1 - o.Confidence) / 2;
        return new BootstrapInterval(estimate, EmpiricalQuantile.OfSorted(finite, tail), EmpiricalQuantile.OfSorted(finite, 1 - tail), o.Confidence, o.Resamples);
    }

    private static double Statistic(IEnumerable<int> indices, double[] pTop, double[]? pBottom, double[] bTop, double[]? bBottom, double scale)
    {
        double a = 0, b = 0, c = 0, d = 0;
        foreach (var i in indices)
        {
            a += pTop[i];
            c += bTop[i];
            if (pBottom is not null)
            {
                b += pBottom[i];
            }

            if (bBottom is not null)
            {
                d += bBottom[i];
            }
        }

        var policy = pBottom is null ? a : b != 0 ? a / b : double.NaN;
        var baseline = bBottom is null ? c : d != 0 ? c / d : double.NaN;
        return scale * (policy - baseline);
    }
}
