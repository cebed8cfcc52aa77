using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json.Serialization;

namespace SeasonalGrains.Forecasting.Lstm;

/// <summary>
/// Split-conformal recalibration of a quantile model, fitted on held-out forecasts and saved in model.json.
/// <para>
/// Per horizon day h and model level k it stores the level of the raw quantile curve that the calibrated
/// level-k quantile reads: <c>Daily[h][k]</c> for the daily quantiles, <c>Interval[h][k]</c> for the quantiles of
/// the sums of days 1..h+1. The raw curve of one forecast is its quantiles at the model levels, joined linearly
/// in the level and extended linearly beyond the outer levels (as <see cref="QuantileInterpolation"/> does), in
/// scaled units and before the floor at 0.
/// </para>
/// <para>
/// Fitting (nested conformal prediction, Gupta, Kuchibhotla and Ramdas 2022): the score of a held-out actual y
/// is the level at which its forecast's raw curve reaches y, <c>s = q^-1(y)</c>, so that y is at or below the
/// curve at level t exactly when s &lt;= t. For target level p the calibrated level is the ceil((n + 1) p)-th
/// smallest of the n scores of that horizon day: on exchangeable data a fresh actual is at or below the
/// calibrated quantile with probability at least p and less than p + 1 / (n + 1). The calibrated levels ascend
/// with p, so calibrated quantiles do not cross; where the raw curve was too narrow the calibrated levels lie
/// beyond the outer model levels (extrapolation), where too wide they move inwards.
/// </para>
/// <para>
/// Forecasts are floored at 0, so a forecast puts the mass of all levels up to t0 = q^-1(0) on zero demand: a
/// zero actual is at or below every quantile, and its score is drawn uniformly from [0, t0] (the randomized
/// probability integral transform of a count, Czado, Gneiting and Held 2009; seeded, so fits repeat). Scoring
/// zeros at t0 instead would treat the floored forecast as if it never covered them and push the levels up
/// wherever demand is often zero.
/// </para>
/// <para>
/// Applying it costs one multiply-add per output: each (h, k) reads a fixed segment of the raw curve at a fixed
/// weight (<see cref="LstmCalibrationMap"/>). After it, quantiles are made non-decreasing in the level and sums
/// non-decreasing in h, so neither can cross whatever the fitted levels.
/// </para>
/// </summary>
public sealed record LstmCalibration
{
    /// <summary>The method text of <see cref="LstmCalibrationMode.Conformal"/> (and of model.json files without a mode).</summary>
    public const string ConformalMethod = "split-conformal (nested sets): calibrated level per horizon day and model level";

    /// <summary>The method text of <see cref="LstmCalibrationMode.Spread"/>.</summary>
    public const string SpreadMethod = "split-conformal (nested sets) around the model's median: held-out actuals moved by their median distance from it, then calibrated level per horizon day and model level";

    /// <summary>How far beyond the outer model levels a calibrated level may lie (in level units).</summary>
    public const double MaxExtrapolation = 1.0;

    /// <summary>Seed of the uniform draws that place the scores of zero actuals (see the class summary).</summary>
    public const ulong ZeroSeed = 0x5A45524F;

    /// <summary>Name of the method, for readers of model.json (written from <see cref="Mode"/>; not read back).</summary>
    public string Method => Mode == LstmCalibrationMode.Spread ? SpreadMethod : ConformalMethod;

    /// <summary>What the calibration corrects (<see cref="LstmCalibrationMode"/>); model.json files without it were fitted <see cref="LstmCalibrationMode.Conformal"/>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public LstmCalibrationMode Mode { get; init; } = LstmCalibrationMode.Conformal;

    /// <summary>Held-out forecasts (windows) the calibration was fitted on.</summary>
    public required int Windows { get; init; }

    /// <summary>First origin day of the held-out forecasts (the validation range's start).</summary>
    public required int FirstOriginDay { get; init; }

    /// <summary>Last origin day of the held-out forecasts.</summary>
    public required int LastOriginDay { get; init; }

    /// <summary><c>Daily[h][k]</c>: the raw-curve level the calibrated level-k quantile of horizon day h reads.</summary>
    public required double[][] Daily { get; init; }

    /// <summary><c>Interval[h][k]</c>: as <see cref="Daily"/>, for the sums of days 1..h+1; null without the interval head.</summary>
    public double[][]? Interval { get; init; }

    /// <summary>Throws <see cref="InvalidDataException"/> unless the tables have <paramref name="horizon"/> rows of <paramref name="quantiles"/> finite levels, ascending in k.</summary>
    public void Validate(int horizon, int quantiles, bool interval)
    {
        Check(Daily, "daily", horizon, quantiles);
        if (interval != (Interval is not null))
        {
            throw new InvalidDataException(
                $"Model calibration: the model {(interval ? "has" : "has no")} interval head but the calibration {(Interval is null ? "has no" : "has an")} interval table.");
        }

        if (Interval is not null)
        {
            Check(Interval, "interval", horizon, quantiles);
        }
    }

    /// <summary>
    /// The calibrated levels of one horizon day: for each target level the ceil((n + 1) p)-th smallest score,
    /// where the score of an actual is the level at which its forecast's raw curve reaches it.
    /// </summary>
    /// <param name="modelLevels">The model's levels, strictly ascending; at least two.</param>
    /// <param name="curves">Per held-out forecast, its raw quantiles at the model levels (scaled units, not floored).</param>
    /// <param name="actuals">The actual of each held-out forecast (same units).</param>
    /// <param name="mode">
    /// <see cref="LstmCalibrationMode.Spread"/>: each actual is first moved by b, the median over the forecasts of
    /// (actual - the raw curve's value at level 0.5), so the scores are those of actuals the model's median does not
    /// miss on the whole; zero actuals keep their randomized score below the curve's zero level.
    /// </param>
    public static double[] FitLevels(
        IReadOnlyList<double> modelLevels, IReadOnlyList<float[]> curves, IReadOnlyList<double> actuals, LstmCalibrationMode mode = LstmCalibrationMode.Conformal)
    {
        ArgumentNullException.ThrowIfNull(modelLevels);
        ArgumentNullException.ThrowIfNull(curves);
        ArgumentNullException.ThrowIfNull(actuals);
        if (modelLevels.Count < 2)
        {
            throw new ArgumentException("Calibration needs at least two model levels.", nameof(modelLevels));
        }

        if (curves.Count != actuals.Count || curves.Count == 0)
        {
            throw new ArgumentException($"Need one actual per curve and at least one: {curves.Count} curves, {actuals.Count} actuals.", nameof(actuals));
        }

        var shift = mode == LstmCalibrationMode.Spread ? MedianMiss(modelLevels, curves, actuals) : 0;
        var scores = new double[curves.Count];
        var random = new SplitMix64(ZeroSeed);
        for (var i = 0; i < scores.Length; i++)
        {
            scores[i] = Score(modelLevels, curves[i], actuals[i] <= 0 ? actuals[i] : actuals[i] - shift);
            if (actuals[i] <= 0)
            {
                var uniform = (random.Next() >> 11) * (1.0 / (1UL << 53));
                scores[i] = uniform * Math.Max(0, scores[i]);
            }
        }

        Array.Sort(scores);
        var n = scores.Length;
        var result = new double[modelLevels.Count];
        for (var k = 0; k < result.Length; k++)
        {
            var rank = (int)Math.Ceiling((n + 1) * modelLevels[k]);
            result[k] = rank > n ? modelLevels[^1] + MaxExtrapolation : scores[Math.Max(rank, 1) - 1];
        }

        return result;
    }

    /// <summary>The median over the forecasts of (actual - the raw curve at level 0.5): how far the model's median misses, in the curves' units.</summary>
    public static double MedianMiss(IReadOnlyList<double> modelLevels, IReadOnlyList<float[]> curves, IReadOnlyList<double> actuals)
    {
        var misses = new double[curves.Count];
        for (var i = 0; i < misses.Length; i++)
        {
            misses[i] = actuals[i] - ValueAt(modelLevels, curves[i], 0.5);
        }

        Array.Sort(misses);
        var n = misses.Length;
        return n % 2 == 1 ? misses[n / 2] : (misses[(n / 2) - 1] + misses[n / 2]) / 2;
    }

    /// <summary>The raw curve's value at <paramref name="level"/>: linear between model levels, extended linearly beyond them, not floored.</summary>
    private static double ValueAt(IReadOnlyList<double> levels, ReadOnlySpan<float> curve, double level)
    {
        var k = 0;
        while (k < levels.Count - 2 && level > levels[k + 1])
        {
            k++;
        }

        return curve[k] + ((level - levels[k]) * (curve[k + 1] - curve[k]) / (levels[k + 1] - levels[k]));
    }

    /// <summary>
    /// The level at which the raw curve (linear between model levels, extended linearly beyond them) reaches
    /// <paramref name="y"/>, within <see cref="MaxExtrapolation"/> of the outer levels.
    /// </summary>
    public static double Score(IReadOnlyList<double> levels, ReadOnlySpan<float> curve, double y)
    {
        var last = levels.Count - 1;
        var lowest = levels[0] - MaxExtrapolation;
        var highest = levels[last] + MaxExtrapolation;

        // the segment that holds y, or the outer segment to extend
        var k = 0;
        while (k < last - 1 && y > curve[k + 1])
        {
            k++;
        }

        double v0 = curve[k];
        double v1 = curve[k + 1];
        double level;
        if (v1 > v0)
        {
            level = levels[k] + ((y - v0) * (levels[k + 1] - levels[k]) / (v1 - v0));
        }
        else
        {
            // a flat segment: the lowest level that reaches y
            level = y <= v0 ? levels[k] : highest;
        }

        return Math.Clamp(level, lowest, highest);
    }

    private static void Check(double[][]? table, string name, int horizon, int quantiles)
    {
        if (table is null || table.Length != horizon)
        {
            throw new InvalidDataException($"Model calibration: the {name} table has {table?.Length ?? 0} rows; the model forecasts {horizon} days.");
        }

        for (var h = 0; h < horizon; h++)
        {
            var row = table[h];
            if (row is null || row.Length != quantiles)
            {
                throw new InvalidDataException($"Model calibration: row {h} of the {name} table has {row?.Length ?? 0} levels; the model has {quantiles}.");
            }

            for (var k = 0; k < quantiles; k++)
            {
                if (!double.IsFinite(row[k]) || (k > 0 && row[k] < row[k - 1]))
                {
                    throw new InvalidDataException($"Model calibration: row {h} of the {name} table must hold finite levels ascending in k.");
                }
            }
        }
    }
}

/// <summary>What a <see cref="LstmCalibration"/> corrects.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<LstmCalibrationMode>))]
public enum LstmCalibrationMode
{
    /// <summary>Location and spread: every level from the scores of the held-out actuals as they are.</summary>
    [JsonStringEnumMemberName(LstmCalibrationModes.Conformal)]
    Conformal,

    /// <summary>
    /// Spread only: the held-out actuals are first moved by how far the model's median misses them on the whole, so
    /// the calibrated median stays near the model's own and the widths on either side are fitted. For held-out days
    /// whose level differs from the days forecast later (one part of a season cycle), where a location fitted on
    /// them would carry their bias forward.
    /// </summary>
    [JsonStringEnumMemberName(LstmCalibrationModes.Spread)]
    Spread,
}

/// <summary>The names of <see cref="LstmCalibrationMode"/> as commands and model.json write them.</summary>
public static class LstmCalibrationModes
{
    public const string Conformal = "conformal";
    public const string Spread = "spread";

    /// <summary>The names a calibration-mode option accepts.</summary>
    public static string[] Names => JsonEnumNames<LstmCalibrationMode>.Names;

    /// <summary>The mode a name stands for; an unknown name is refused with the known ones.</summary>
    public static LstmCalibrationMode Parse(string name) => JsonEnumNames<LstmCalibrationMode>.Parse(name, "calibration mode");

    public static string Name(LstmCalibrationMode mode) => JsonEnumNames<LstmCalibrationMode>.Name(mode);
}

/// <summary>
/// A <see cref="LstmCalibration"/> prepared for inference: per (h, k) the raw curve's segment and the weight
/// within it, so the calibrated value is <c>raw[j] + w (raw[j + 1] - raw[j])</c>.
/// </summary>
public sealed class LstmCalibrationMap
{
    private readonly int _quantiles;
    private readonly int[] _dailySegment;
    private readonly float[] _dailyWeight;
    private readonly int[]? _intervalSegment;
    private readonly float[]? _intervalWeight;

    public LstmCalibrationMap(LstmCalibration calibration, IReadOnlyList<double> modelLevels)
    {
        ArgumentNullException.ThrowIfNull(calibration);
        ArgumentNullException.ThrowIfNull(modelLevels);
        _quantiles = modelLevels.Count;
        (_dailySegment, _dailyWeight) = Prepare(calibration.Daily, modelLevels);
        if (calibration.Interval is { } interval)
        {
            (_intervalSegment, _intervalWeight) = Prepare(interval, modelLevels);
        }
    }

    /// <summary>
    /// Calibrates one day's raw daily quantiles (scaled units) into <paramref name="calibrated"/>: made
    /// non-decreasing in the level, times <paramref name="scale"/>, floored at 0.
    /// </summary>
    public void Daily(int h, ReadOnlySpan<float> raw, Span<float> calibrated, float scale = 1f) =>
        Apply(_dailySegment, _dailyWeight, h, raw, calibrated, scale, default);

    /// <summary>
    /// Calibrates one day's raw interval quantiles (sums of days 1..h+1, scaled units) as <see cref="Daily"/> does, and
    /// keeps each at least <paramref name="previous"/> (the previous day's calibrated sums, already scaled; empty on
    /// the first day), so sums never fall with the days.
    /// </summary>
    public void Interval(int h, ReadOnlySpan<float> raw, Span<float> calibrated, float scale = 1f, ReadOnlySpan<float> previous = default)
    {
        if (_intervalSegment is null || _intervalWeight is null)
        {
            Apply(null, null, h, raw, calibrated, scale, previous);
            return;
        }

        Apply(_intervalSegment, _intervalWeight, h, raw, calibrated, scale, previous);
    }

    private void Apply(int[]? segments, float[]? weights, int h, ReadOnlySpan<float> raw, Span<float> calibrated, float scale, ReadOnlySpan<float> previous)
    {
        var q = _quantiles;
        if (raw.Length < q || calibrated.Length < q || (h + 1) * q > (segments?.Length ?? int.MaxValue))
        {
            throw new ArgumentException($"Calibration of day {h} needs {q} raw and {q} calibrated values; got {raw.Length} and {calibrated.Length}.");
        }

        var hasPrevious = previous.Length >= q;
        var highest = 0f; // the running maximum over levels, floored at 0 (scale is positive, so the order is kept)
        if (segments is null || weights is null)
        {
            for (var k = 0; k < q; k++)
            {
                highest = MathF.Max(highest, raw[k] * scale);
                calibrated[k] = hasPrevious ? MathF.Max(highest, previous[k]) : highest;
                highest = calibrated[k];
            }

            return;
        }

        // Prepare keeps every segment j within 0..q-2, so j + 1 indexes raw, and the check above bounds h: the
        // loop reads without bounds checks (it runs for every output of every forecast)
        ref var segment = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(segments), h * q);
        ref var weight = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(weights), h * q);
        ref var r = ref MemoryMarshal.GetReference(raw);
        for (var k = 0; k < q; k++)
        {
            var j = Unsafe.Add(ref segment, k);
            var lo = Unsafe.Add(ref r, j);
            var value = (lo + (Unsafe.Add(ref weight, k) * (Unsafe.Add(ref r, j + 1) - lo))) * scale;
            highest = value > highest ? value : highest;
            if (hasPrevious)
            {
                highest = previous[k] > highest ? previous[k] : highest;
            }

            calibrated[k] = highest;
        }
    }

    private static (int[] Segments, float[] Weights) Prepare(double[][] table, IReadOnlyList<double> levels)
    {
        var q = levels.Count;
        var segments = new int[table.Length * q];
        var weights = new float[table.Length * q];
        for (var h = 0; h < table.Length; h++)
        {
            for (var k = 0; k < q; k++)
            {
                var p = table[h][k];
                var j = 0;
                while (j < q - 2 && p > levels[j + 1])
                {
                    j++;
                }

                segments[(h * q) + k] = j;
                weights[(h * q) + k] = (float)((p - levels[j]) / (levels[j + 1] - levels[j]));
            }
        }

        return (segments, weights);
    }
}
