namespace SeasonalGrains.Forecasting.Features;

/// <summary>
/// Writes the feature rows of one SKU seeing units only before <see cref="VisibleEnd"/>: the prefix sums
/// behind trend and seasonal index are built from units[0..VisibleEnd) and nothing later is read.
/// Past rows exist for days before VisibleEnd; known rows for any day the calendar table covers, as long
/// as the seasonal index's reach (day - <see cref="FeatureSchema.SeasonalReach"/>) stays before VisibleEnd.
/// </summary>
internal sealed class SkuFeatureWriter
{
    private const float MaxPriceRatio = 5f;
    private const float MaxSeasonalIndex = 10f;

    private readonly FeatureSchema _schema;
    private readonly CalendarTable _calendar;
    private readonly SkuSeries _series;
    private readonly RegionWeather? _weather;
    private readonly WeatherScaler _weatherScaler;
    private readonly Dataset _dataset;
    private double[] _prefix;
    private readonly double _regularPrice;

    public SkuFeatureWriter(FeatureSchema schema, CalendarTable calendar, Dataset dataset, int skuIndex, int visibleEnd)
    {
        if (skuIndex < 0 || skuIndex >= dataset.Skus.Count || skuIndex >= dataset.Series.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(skuIndex), skuIndex, $"SKU index must be within 0..{dataset.Skus.Count - 1}.");
        }

        if (visibleEnd < 0 || visibleEnd > dataset.Days)
        {
            throw new ArgumentOutOfRangeException(nameof(visibleEnd), visibleEnd, $"Visible days must end within 0..{dataset.Days}.");
        }

        _schema = schema;
        _calendar = calendar;
        var info = dataset.Skus[skuIndex];
        _series = dataset.Series[skuIndex];
        _dataset = dataset;
        VisibleEnd = visibleEnd;
        FeatureMath.RequireCleanUnits(dataset, _series, visibleEnd);

        _prefix = new double[visibleEnd + 1];
        for (var t = 0; t < visibleEnd; t++)
        {
            _prefix[t + 1] = _prefix[t] + _series.Units[t];
        }

        if (schema.Skus.TryGetValue(info.Sku, out var scaler))
        {
            Scale = scaler.UnitScale;
            _regularPrice = scaler.RegularPrice;
        }
        else
        {
            // A SKU the model never saw: scale by its own visible history.
            Scale = Math.Max(visibleEnd > 0 ? _prefix[visibleEnd] / visibleEnd : 0, schema.MinUnitScale);
            _regularPrice = FeatureMath.RegularPrice(_series, info, visibleEnd);
        }

        Category = schema.CategoryIndex(info.Category);
        Region = schema.RegionIndex(info.Region);
        _weather = dataset.Weather is { } w && w.TryGetValue(info.Region, out var rw) ? rw : null;
        _weatherScaler = schema.Weather.TryGetValue(info.Region, out var ws) ? ws : schema.PooledWeather;
    }

    public int VisibleEnd { get; private set; }

    /// <summary>
    /// Makes days up to <paramref name="visibleEnd"/> (exclusive) visible, extending the prefix sums by the new days
    /// only; the scale and regular price stay those fixed at construction. For a caller that moves its origin
    /// forward one day at a time.
    /// </summary>
    public void Advance(int visibleEnd)
    {
        if (visibleEnd < VisibleEnd || visibleEnd > _dataset.Days)
        {
            throw new ArgumentOutOfRangeException(nameof(visibleEnd), visibleEnd, $"Visible days can only grow, from {VisibleEnd} up to {_dataset.Days}.");
        }

        if (visibleEnd == VisibleEnd)
        {
            return;
        }

        if (_series.Units.Length < visibleEnd)
        {
            FeatureMath.RequireCleanUnits(_dataset, _series, VisibleEnd, visibleEnd); // throws with the days needed
        }

        for (var t = VisibleEnd; t < visibleEnd; t++)
        {
            var u = _series.Units[t];
            if (!(u >= 0) || double.IsPositiveInfinity(u))
            {
                FeatureMath.RequireCleanUnits(_dataset, _series, t, visibleEnd); // throws naming the day
            }
        }

        if (_prefix.Length < visibleEnd + 1)
        {
            Array.Resize(ref _prefix, Math.Min(_dataset.Days + 1, Math.Max(visibleEnd + 1, _prefix.Length * 2)));
        }

        for (var t = VisibleEnd; t < visibleEnd; t++)
        {
            _prefix[t + 1] = _prefix[t] + _series.Units[t];
        }

        VisibleEnd = visibleEnd;
    }

    /// <summary>The SKU's unit scale: its mean daily units over the fitted days (at least the schema's minimum).</summary>
    public double Scale { get; }

    public int Category { get; }

    public int Region { get; }

    /// <summary>
    /// The scale of a forecast from <paramref name="origin"/> (0..VisibleEnd): <see cref="Scale"/> with
    /// <see cref="UnitScaling.Sku"/>; with <see cref="UnitScaling.Level"/> the level L(origin), the mean units of
    /// the <see cref="FeatureSchema.LevelWindow"/> days before it (fewer at the start of the data) floored at
    /// <see cref="FeatureSchema.LevelFloor"/> x <see cref="Scale"/> and at <see cref="FeatureSchema.MinUnitScale"/>;
    /// L(0) = <see cref="Scale"/>. It reads units before the origin only, so a window and a carried state that
    /// reach the same origin see the same scale.
    /// </summary>
    public double ScaleAt(int origin)
    {
        if (_schema.Scaling == UnitScaling.Sku)
        {
            return Scale;
        }

        if (origin < 0 || origin > VisibleEnd)
        {
            throw new ArgumentOutOfRangeException(nameof(origin), origin, $"The level is known for origins 0..{VisibleEnd}.");
        }

        if (origin == 0)
        {
            return Scale;
        }

        var floor = Math.Max(_schema.LevelFloor * Scale, _schema.MinUnitScale);
        return Math.Max(RangeMean(origin - _schema.LevelWindow, origin), floor);
    }

    /// <summary>Units of a visible day, unscaled.</summary>
    public double Units(int day) => VisibleUnits(day);

    /// <summary>Past-only features then known features of <paramref name="day"/> (must be visible).</summary>
    public void WritePastRow(int day, Span<float> row)
    {
        WritePastOnly(day, row);
        WriteKnownRow(day, row[_schema.PastOnlyFeatures.Count..]);
    }

    /// <summary>
    /// The past-only features of <paramref name="day"/> (must be visible) at the start of a past row; the known
    /// features after them are left as they are, for a caller that holds the day's known row already.
    /// </summary>
    public void WritePastOnly(int day, Span<float> row)
    {
        if (row.Length != _schema.PastFeatureCount)
        {
            throw new ArgumentException($"A past row holds {_schema.PastFeatureCount} floats, got {row.Length}.", nameof(row));
        }

        var units = VisibleUnits(day);
        var scale = ScaleAt(day + 1);
        row[0] = 1f;
        row[1] = (float)(units / scale);
        var short7 = RangeMean(day - 6, day + 1);
        var long28 = RangeMean(day - 27, day + 1);
        row[2] = long28 > 0 ? (float)(short7 / long28) : 1f;
        row[3] = ZScore(_weather?.TempC, day, _weatherScaler.TempMean, _weatherScaler.TempStd);
        row[4] = ZScore(_weather?.Humidity, day, _weatherScaler.HumidityMean, _weatherScaler.HumidityStd);
        row[5] = ZScore(_weather?.PrecipMm, day, _weatherScaler.PrecipMean, _weatherScaler.PrecipStd);
        if (_schema.Scaling == UnitScaling.Level)
        {
            row[6] = (float)Math.Log(scale / Scale);
        }
    }

    /// <summary>Known-future features of <paramref name="day"/>.</summary>
    public void WriteKnownRow(int day, Span<float> row)
    {
        if (row.Length != _schema.KnownFeatureCount)
        {
            throw new ArgumentException($"A known row holds {_schema.KnownFeatureCount} floats, got {row.Length}.", nameof(row));
        }

        var leading = _calendar.Leading(day);
        leading.CopyTo(row);
        var at = leading.Length;

        var priceRatio = 1f;
        if (_series.Price is { } price && day < price.Length && double.IsFinite(price[day]) && price[day] > 0)
        {
            priceRatio = (float)Math.Min(price[day] / _regularPrice, MaxPriceRatio);
        }

        row[at] = priceRatio;
        row[at + 1] = _series.Promo is { } promo && day < promo.Length && promo[day] ? 1f : 0f;
        var (index, available) = SeasonalIndex(day);
        row[at + 2] = index;
        row[at + 3] = available;
        _calendar.Events(day).CopyTo(row[(at + 4)..]);
    }

    private (float Index, float Available) SeasonalIndex(int day)
    {
        var reach = day - FeatureSchema.SeasonalReach; // last unit the index may read
        if (reach >= VisibleEnd)
        {
            throw new InvalidOperationException(
                $"The seasonal index of day {day} would read day {reach}, at or after the visible end {VisibleEnd}.");
        }

        // the base's last day; a holiday-aligned look-back shorter than a year can find a week before d - 361 has a day
        var last = day - FeatureSchema.SeasonalBaseEnd >= 0 ? day - FeatureSchema.SeasonalBaseEnd : reach;
        var sum = 0.0;
        var count = 0;
        for (var k = 1; k <= FeatureSchema.SeasonalYears; k++)
        {
            var centre = day - _calendar.SeasonalLookback(day, k);
            if (centre - 3 < 0)
            {
                break;
            }

            sum += (_prefix[centre + 4] - _prefix[centre - 3]) / 7;
            count++;
        }

        if (count == 0)
        {
            return (1f, 0f);
        }

        var overall = _prefix[last + 1] / (last + 1);
        return overall > 0 ? ((float)Math.Min(sum / count / overall, MaxSeasonalIndex), 1f) : (1f, 0f);
    }

    private double VisibleUnits(int day)
    {
        if ((uint)day >= (uint)VisibleEnd)
        {
            throw new ArgumentOutOfRangeException(nameof(day), day, $"Only days 0..{VisibleEnd - 1} are visible.");
        }

        return _series.Units[day];
    }

    private double RangeMean(int from, int to)
    {
        from = Math.Max(from, 0);
        return to > from ? (_prefix[to] - _prefix[from]) / (to - from) : 0;
    }

    private static float ZScore(double[]? values, int day, double mean, double std)
    {
        if (values is null || day >= values.Length || !double.IsFinite(values[day]))
        {
            return 0f;
        }

        return (float)((values[day] - mean) / std);
    }
}
