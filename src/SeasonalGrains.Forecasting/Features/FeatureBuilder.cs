namespace SeasonalGrains.Forecasting.Features;

/// <summary>
/// Builds network inputs for one dataset with one <see cref="FeatureSchema"/>. Construction computes the
/// calendar features once (O(days)); each window then costs O(origin) for the SKU's prefix sums plus
/// O(window + horizon) rows. Thread-safe after construction.
/// </summary>
public sealed class FeatureBuilder
{
    private readonly CalendarTable _calendar;

    public FeatureBuilder(FeatureSchema schema, Dataset dataset)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(dataset);
        Schema = schema;
        Dataset = dataset;
        _calendar = CalendarTable.For(schema, dataset);
    }

    public FeatureSchema Schema { get; }

    public Dataset Dataset { get; }

    /// <summary>
    /// The input for SKU <paramref name="skuIndex"/> forecast from <paramref name="origin"/> (1..Days): units
    /// and weather of days before the origin only, known-future covariates of origin..origin+Horizon-1.
    /// Price and promo beyond the dataset's last day are taken as regular price, no promo.
    /// </summary>
    public ForecastWindow BuildWindow(int skuIndex, int origin)
    {
        if (origin < 1 || origin > Dataset.Days)
        {
            throw new ArgumentOutOfRangeException(nameof(origin), origin, $"The origin must be within 1..{Dataset.Days} (at least one day of history).");
        }

        var writer = Writer(skuIndex, origin);
        var window = Schema.Window;
        var width = Schema.PastFeatureCount;
        var past = new float[Schema.PastLength];
        for (var i = 0; i < window; i++)
        {
            var day = origin - window + i;
            if (day >= 0)
            {
                writer.WritePastRow(day, past.AsSpan(i * width, width));
            }
        }

        var known = Schema.KnownFeatureCount;
        var future = new float[Schema.FutureLength];
        for (var h = 0; h < Schema.Horizon; h++)
        {
            writer.WriteKnownRow(origin + h, future.AsSpan(h * known, known));
        }

        return new ForecastWindow(past, future, writer.Category, writer.Region, (float)writer.ScaleAt(origin));
    }

    internal SkuFeatureWriter Writer(int skuIndex, int visibleEnd) => new(Schema, _calendar, Dataset, skuIndex, visibleEnd);
}
