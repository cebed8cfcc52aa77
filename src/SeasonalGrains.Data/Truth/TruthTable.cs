using SeasonalGrains.Data.Generation;

namespace SeasonalGrains.Data.Truth;

/// <summary>
/// The true demand distribution of a generated dataset: per SKU and day the mean and quantiles at
/// <see cref="Levels"/>. Built either from negative binomial parameters (quantiles computed exactly on
/// first use, per SKU) or from given quantiles (as read from truth.csv). Days without a value are NaN.
/// </summary>
public sealed class TruthTable
{
    private readonly double[][] _mean;
    private readonly double[]? _size;
    private readonly double[][]?[] _quantiles; // [sku] -> [level][day], filled lazily when _size is known
    private readonly Dictionary<string, int> _skuIndex;

    private TruthTable(IReadOnlyList<string> skus, DateOnly start, int days, IReadOnlyList<double> levels, double[][] mean, double[]? size, double[][]?[] quantiles)
    {
        ArgumentNullException.ThrowIfNull(skus);
        ArgumentNullException.ThrowIfNull(levels);
        ArgumentOutOfRangeException.ThrowIfNegative(days);
        if (mean.Length != skus.Count)
        {
            throw new ArgumentException($"mean has {mean.Length} series for {skus.Count} SKUs", nameof(mean));
        }

        for (var i = 0; i < levels.Count; i++)
        {
            if (!(levels[i] > 0 && levels[i] < 1) || (i > 0 && levels[i] <= levels[i - 1]))
            {
                throw new ArgumentException("levels must be strictly ascending within (0, 1)", nameof(levels));
            }
        }

        foreach (var series in mean)
        {
            if (series.Length != days)
            {
                throw new ArgumentException($"every mean series must have {days} days", nameof(mean));
            }
        }

        Skus = skus;
        Start = start;
        Days = days;
        Levels = levels;
        _mean = mean;
        _size = size;
        _quantiles = quantiles;
        _skuIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < skus.Count; i++)
        {
            if (!_skuIndex.TryAdd(skus[i], i))
            {
                throw new ArgumentException($"duplicate sku '{skus[i]}'", nameof(skus));
            }
        }
    }

    /// <summary>0.005, 0.025, 0.165, 0.25, 0.5, 0.75, 0.835, 0.975, 0.995: central 99%, 95%, 67% and 50% intervals and the median.</summary>
    public static IReadOnlyList<double> StandardLevels { get; } = [0.005, 0.025, 0.165, 0.25, 0.5, 0.75, 0.835, 0.975, 0.995];

    public IReadOnlyList<string> Skus { get; }

    public DateOnly Start { get; }

    public int Days { get; }

    public IReadOnlyList<double> Levels { get; }

    /// <summary><c>Mean[sku][day]</c>: the expected demand.</summary>
    public IReadOnlyList<double[]> Mean => _mean;

    /// <summary>Negative binomial size per SKU (variance = mean + mean²/size) when known; null for tables read from a file.</summary>
    public IReadOnlyList<double>? Size => _size;

    /// <summary>A table of negative binomial demand with the given means (NaN for no value) and size per SKU.</summary>
    public static TruthTable FromNegativeBinomial(
        IReadOnlyList<string> skus, DateOnly start, int days, double[][] mean, double[] size, IReadOnlyList<double>? levels = null)
    {
        ArgumentNullException.ThrowIfNull(size);
        if (size.Length != skus.Count || size.Any(s => !(s > 0)))
        {
            throw new ArgumentException("one positive size per SKU is required", nameof(size));
        }

        return new TruthTable(skus, start, days, levels ?? StandardLevels, mean, size, new double[][]?[skus.Count]);
    }

    /// <summary>A table from given quantiles: <c>quantiles[sku][level][day]</c>.</summary>
    public static TruthTable FromQuantiles(
        IReadOnlyList<string> skus, DateOnly start, int days, IReadOnlyList<double> levels, double[][] mean, double[][][] quantiles)
    {
        ArgumentNullException.ThrowIfNull(quantiles);
        if (quantiles.Length != skus.Count || quantiles.Any(q => q.Length != levels.Count || q.Any(d => d.Length != days)))
        {
            throw new ArgumentException("quantiles must be [sku][level][day]", nameof(quantiles));
        }

        return new TruthTable(skus, start, days, levels, mean, null, [.. quantiles]);
    }

    public DateOnly End => Start.AddDays(Days - 1);

    /// <summary>Index of <paramref name="sku"/>, or -1.</summary>
    public int IndexOfSku(string sku) => _skuIndex.TryGetValue(sku, out var i) ? i : -1;

    /// <summary>Index of <paramref name="level"/> in <see cref="Levels"/>; throws when absent.</summary>
    public int LevelIndex(double level)
    {
        for (var i = 0; i < Levels.Count; i++)
        {
            if (Math.Abs(Levels[i] - level) < 1e-12)
            {
                return i;
            }
        }

        throw new ArgumentException($"level {level.ToString(CultureInfo.InvariantCulture)} is not one of the table's levels", nameof(level));
    }

    /// <summary><c>Quantile(sku, levelIndex)[day]</c>: the quantile at <c>Levels[levelIndex]</c>. Do not modify the array.</summary>
    public double[] Quantile(int sku, int levelIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(levelIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(levelIndex, Levels.Count);
        return Quantiles(sku)[levelIndex];
    }

    /// <summary>All quantiles of a SKU: <c>[level][day]</c>. Do not modify the arrays.</summary>
    public double[][] Quantiles(int sku)
    {
        var existing = Volatile.Read(ref _quantiles[sku]);
        if (existing is not null)
        {
            return existing;
        }

        var computed = Compute(sku);
        return Interlocked.CompareExchange(ref _quantiles[sku], computed, null) ?? computed;
    }

    private double[][] Compute(int sku)
    {
        var size = _size![sku];
        var mean = _mean[sku];
        var result = new double[Levels.Count][];
        for (var l = 0; l < result.Length; l++)
        {
            result[l] = new double[Days];
        }

        Span<double> levels = stackalloc double[Levels.Count];
        Span<double> q = stackalloc double[Levels.Count];
        for (var l = 0; l < levels.Length; l++)
        {
            levels[l] = Levels[l];
        }

        for (var d = 0; d < Days; d++)
        {
            if (double.IsNaN(mean[d]))
            {
                q.Fill(double.NaN);
            }
            else
            {
                NegativeBinomial.Quantiles(mean[d], size, levels, q);
            }

            for (var l = 0; l < levels.Length; l++)
            {
                result[l][d] = q[l];
            }
        }

        return result;
    }
}
