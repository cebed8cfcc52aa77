namespace SeasonalGrains.Forecasting.Lstm;

/// <summary>
/// The shared quantile LSTM as an <see cref="IForecaster"/>. For each target SKU it builds the window at
/// the request's origin (units and weather strictly before it, known-future covariates of the horizon),
/// predicts all windows in chunks of <see cref="LstmModel.ChunkSize"/> and returns the mean head and the
/// requested levels (see <see cref="QuantileInterpolation"/> for levels that are not model levels), and with the
/// interval head the quantiles of the sums of days 0..h (<see cref="SkuForecast.IntervalQuantiles"/>). The
/// request's horizon may be shorter than the model's, not longer.
/// </summary>
public sealed class LstmForecaster(LstmModel model) : IForecaster
{
    public const string ForecasterName = "lstm";

    public string Name => ForecasterName;

    public LstmModel Model { get; } = model ?? throw new ArgumentNullException(nameof(model));

    public IReadOnlyList<SkuForecast> Forecast(ForecastRequest request)
    {
        ForecastRequestChecks.Validate(request, Name);
        if (request.Horizon > Model.Horizon)
        {
            throw new ArgumentException(
                $"{Name}: the model forecasts {Model.Horizon} days, the request asks for {request.Horizon}.", nameof(request));
        }

        var targets = request.Targets.ToArray();
        var builder = Model.FeaturesFor(request.Dataset);
        var windows = new ForecastWindow[targets.Length];
        for (var i = 0; i < targets.Length; i++)
        {
            windows[i] = builder.BuildWindow(targets[i], request.Origin);
        }

        var outputs = Model.Predict(windows);
        var q = Model.Quantiles.Count;
        var perDay = Model.OutputsPerDay;
        var forecasts = new SkuForecast[targets.Length];
        for (var i = 0; i < targets.Length; i++)
        {
            var output = outputs[i];
            forecasts[i] = FromOutput(Model, output, targets[i], request.Origin, request.Horizon, request.Levels);
        }

        return forecasts;
    }

    /// <summary>
    /// The forecast in one model output (layout: see <see cref="LstmModel"/>) for the first <paramref name="horizon"/>
    /// days, at <paramref name="levels"/>; with the interval head, <see cref="SkuForecast.IntervalQuantiles"/> too.
    /// </summary>
    public static SkuForecast FromOutput(LstmModel model, ReadOnlySpan<float> output, int skuIndex, int origin, int horizon, IReadOnlyList<double> levels)
    {
        ArgumentNullException.ThrowIfNull(model);
        var q = model.Quantiles.Count;
        var perDay = model.OutputsPerDay;
        var mean = new double[horizon];
        var quantiles = new double[horizon][];
        var sums = model.HasIntervalHead ? new double[horizon][] : null;
        for (var h = 0; h < horizon; h++)
        {
            var day = output.Slice(h * perDay, perDay);
            mean[h] = day[q];
            quantiles[h] = QuantileInterpolation.At(model.Quantiles, day[..q], levels);
            if (sums is not null)
            {
                sums[h] = QuantileInterpolation.At(model.Quantiles, day.Slice(q + 1, q), levels);
            }
        }

        return new SkuForecast(skuIndex, origin, mean, quantiles, levels) { IntervalQuantiles = sums };
    }
}
