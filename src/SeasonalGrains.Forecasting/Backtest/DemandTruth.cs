namespace SeasonalGrains.Forecasting.Backtest;

/// <summary>The true demand distribution of one SKU on one day: its mean and quantiles at <see cref="IDemandTruth.Levels"/>.</summary>
public sealed record TruthPoint(double Mean, double[] Quantiles);

/// <summary>Access to the true demand distribution of a generated dataset (the oracle's knowledge).</summary>
public interface IDemandTruth
{
    /// <summary>Quantile levels held for every point, strictly ascending inside (0, 1).</summary>
    IReadOnlyList<double> Levels { get; }

    /// <summary>The true distribution of <paramref name="sku"/> on <paramref name="date"/>, or null when unknown.</summary>
    TruthPoint? Find(string sku, DateOnly date);

    /// <summary>
    /// The exact true quantiles of <paramref name="sku"/> on <paramref name="date"/> at any ascending
    /// <paramref name="levels"/>, when the distribution itself is known; null when only the quantiles at
    /// <see cref="Levels"/> are (the oracle then interpolates between them).
    /// </summary>
    double[]? QuantilesAt(string sku, DateOnly date, IReadOnlyList<double> levels) => null;
}

/// <summary>An <see cref="IDemandTruth"/> held in memory, filled point by point.</summary>
public sealed class InMemoryDemandTruth : IDemandTruth
{
    private readonly Dictionary<(string Sku, DateOnly Date), TruthPoint> _points = [];

    public InMemoryDemandTruth(IReadOnlyList<double> levels)
    {
        ForecastRequestChecks.ValidateLevels(levels, "truth");
        Levels = levels.ToArray();
    }

    public IReadOnlyList<double> Levels { get; }

    public int Count => _points.Count;

    /// <summary>Adds one point; quantiles must match <see cref="Levels"/> in count and be ascending.</summary>
    public void Add(string sku, DateOnly date, double mean, IReadOnlyList<double> quantiles)
    {
        ArgumentNullException.ThrowIfNull(sku);
        ArgumentNullException.ThrowIfNull(quantiles);
        var where = $"truth for SKU '{sku}' on {date:yyyy-MM-dd}";
        if (quantiles.Count != Levels.Count)
        {
            throw new ArgumentException($"{where}: {quantiles.Count} quantiles for {Levels.Count} levels.", nameof(quantiles));
        }

        if (!double.IsFinite(mean))
        {
            throw new ArgumentException($"{where}: mean {mean.ToString(CultureInfo.InvariantCulture)} is not finite.", nameof(mean));
        }

        for (var k = 0; k < quantiles.Count; k++)
        {
            if (!double.IsFinite(quantiles[k]) || (k > 0 && quantiles[k] < quantiles[k - 1]))
            {
                throw new ArgumentException($"{where}: quantiles must be finite and ascending.", nameof(quantiles));
            }
        }

        if (!_points.TryAdd((sku, date), new TruthPoint(mean, quantiles.ToArray())))
        {
            throw new ArgumentException($"{where}: the point is given twice.", nameof(date));
        }
    }

    public TruthPoint? Find(string sku, DateOnly date) => _points.GetValueOrDefault((sku, date));
}
