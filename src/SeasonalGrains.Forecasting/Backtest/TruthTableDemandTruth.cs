using SeasonalGrains.Data.Generation;
using SeasonalGrains.Data.Truth;

namespace SeasonalGrains.Forecasting.Backtest;

/// <summary>Where the negative binomial size of a <see cref="TruthTableDemandTruth"/> came from.</summary>
public enum TruthSizeSource
{
    /// <summary>No size: quantiles at levels the table does not hold are interpolated.</summary>
    None,

    /// <summary>The generator's own size per SKU (a table generated in memory).</summary>
    Generator,

    /// <summary>Estimated per SKU from the quantiles stored in truth.csv (see <see cref="TruthSizeEstimator"/>).</summary>
    EstimatedFromQuantiles,
}

/// <summary>
/// The true demand of a generated dataset (<see cref="TruthTable"/>, in memory or read from truth.csv) as an
/// <see cref="IDemandTruth"/> for the oracle row of a backtest.
/// <para>
/// Generated units are negative binomial with the table's mean and a size per SKU. When that size is known
/// (held by a table generated in memory, or estimated from truth.csv's stored quantiles and reproducing at
/// least <see cref="MinMatchedShare"/> of them exactly) <see cref="QuantilesAt"/> returns the exact negative
/// binomial quantiles at any level; otherwise it returns null and the oracle interpolates between the
/// table's levels.
/// </para>
/// </summary>
public sealed class TruthTableDemandTruth : IDemandTruth
{
    /// <summary>Share of stored quantiles an estimated size must reproduce exactly to be used.</summary>
    public const double MinMatchedShare = 0.99;

    private readonly TruthTable _table;
    private readonly double[]? _sizes;

    private TruthTableDemandTruth(TruthTable table, double[]? sizes, TruthSizeSource source, double matchedShare)
    {
        _table = table;
        _sizes = sizes;
        SizeSource = source;
        MatchedShare = matchedShare;
    }

    public IReadOnlyList<double> Levels => _table.Levels;

    /// <summary>Where the sizes behind <see cref="QuantilesAt"/> came from (<see cref="TruthSizeSource.None"/>: interpolation).</summary>
    public TruthSizeSource SizeSource { get; }

    /// <summary>
    /// For estimated sizes, the share of the table's stored quantiles (every SKU, day and level) that the
    /// negative binomial with the estimated size reproduces exactly; 1 for the generator's sizes, NaN without sizes.
    /// </summary>
    public double MatchedShare { get; }

    /// <summary>Negative binomial size per SKU (table order), or null.</summary>
    public IReadOnlyList<double>? Sizes => _sizes;

    /// <summary>
    /// Wraps <paramref name="table"/>: its own sizes when it has them, else sizes estimated from its
    /// quantiles when <paramref name="estimateSizes"/> is true and they reproduce enough of them.
    /// </summary>
    public static TruthTableDemandTruth Create(TruthTable table, bool estimateSizes = true)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (table.Size is { } known)
        {
            return new TruthTableDemandTruth(table, [.. known], TruthSizeSource.Generator, 1);
        }

        if (!estimateSizes || table.Levels.Count == 0 || table.Skus.Count == 0)
        {
            return new TruthTableDemandTruth(table, null, TruthSizeSource.None, double.NaN);
        }

        var sizes = new double[table.Skus.Count];
        long matched = 0, total = 0;
        for (var s = 0; s < sizes.Length; s++)
        {
            var estimate = TruthSizeEstimator.Estimate(table, s);
            sizes[s] = estimate.Size;
            matched += estimate.Matched;
            total += estimate.Compared;
        }

        var share = total == 0 ? 0 : matched / (double)total;
        return share >= MinMatchedShare
            ? new TruthTableDemandTruth(table, sizes, TruthSizeSource.EstimatedFromQuantiles, share)
            : new TruthTableDemandTruth(table, null, TruthSizeSource.None, share);
    }

    /// <summary>One line for reports: how the oracle's quantiles are obtained.</summary>
    public string Describe() => SizeSource switch
    {
        TruthSizeSource.Generator => "exact negative binomial quantiles (the generator's size per SKU)",
        TruthSizeSource.EstimatedFromQuantiles => string.Create(
            System.Globalization.CultureInfo.InvariantCulture,
            $"exact negative binomial quantiles (size per SKU estimated from truth.csv; it reproduces {MatchedShare:P2} of the stored quantiles)"),
        _ => double.IsNaN(MatchedShare)
            ? "quantiles interpolated between truth.csv's levels"
            : string.Create(
                System.Globalization.CultureInfo.InvariantCulture,
                $"quantiles interpolated between truth.csv's levels (no negative binomial size reproduces them: best {MatchedShare:P1})"),
    };

    public TruthPoint? Find(string sku, DateOnly date)
    {
        var (s, d) = Locate(sku, date);
        if (s < 0)
        {
            return null;
        }

        var quantiles = new double[_table.Levels.Count];
        for (var l = 0; l < quantiles.Length; l++)
        {
            quantiles[l] = _table.Quantile(s, l)[d];
            if (double.IsNaN(quantiles[l]))
            {
                return null;
            }
        }

        return new TruthPoint(_table.Mean[s][d], quantiles);
    }

    public double[]? QuantilesAt(string sku, DateOnly date, IReadOnlyList<double> levels)
    {
        ArgumentNullException.ThrowIfNull(levels);
        if (_sizes is null)
        {
            return null;
        }

        var (s, d) = Locate(sku, date);
        if (s < 0)
        {
            return null;
        }

        var result = new double[levels.Count];
        NegativeBinomial.Quantiles(_table.Mean[s][d], _sizes[s], [.. levels], result);
        return result;
    }

    private (int Sku, int Day) Locate(string sku, DateOnly date)
    {
        var s = _table.IndexOfSku(sku);
        var d = date.DayNumber - _table.Start.DayNumber;
        return s < 0 || d < 0 || d >= _table.Days || double.IsNaN(_table.Mean[s][d]) ? (-1, -1) : (s, d);
    }
}
