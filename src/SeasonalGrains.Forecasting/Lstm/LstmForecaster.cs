using SeasonalGrains.Forecasting.Features;

namespace SeasonalGrains.Forecasting.Lstm;

/// <summary>
/// The shared quantile LSTM as an <see cref="IForecaster"/>. For each target SKU it builds the window at
/// the request's origin (units and weather strictly before it, known-future covariates of the horizon),
/// predicts all windows in chunks of <see cref="LstmModel.ChunkSize"/> and returns the mean head and the
/// requested levels (see <see cref="QuantileInterpolation"/> for levels that are not model levels). The
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
            var mean = new double[request.Horizon];
            var quantiles = new double[request.Horizon][];
            for (var h = 0; h < request.Horizon; h++)
            {
                var day = output.AsSpan(h * perDay, perDay);
                mean[h] = day[q];
                quantiles[h] = QuantileInterpolation.At(Model.Quantiles, day[..q], request.Levels);
            }

            forecasts[i] = new SkuForecast(targets[i], request.Origin, mean, quantiles, request.Levels);
        }

        return forecasts;
    }
}
