using System.Runtime.CompilerServices;
using SeasonalGrains.Forecasting.Lstm;

namespace SeasonalGrains.Forecasting.Inference;

/// <summary>
/// The shared LSTM as the replays' stateful form runs it (<see cref="LstmTracker"/>): the forecast from an origin
/// is the model run over the days since the last encoder restart instead of over one window. As an
/// <see cref="IForecaster"/>, so a backtest scores it beside <see cref="LstmForecaster"/> on the same origins.
/// Each request opens fresh tracks; a tracker's forecast is a function of the data and the origin alone, so
/// they equal those of tracks carried from day to day.
/// </summary>
public sealed class StatefulLstmForecaster(LstmModel model, int restartDays = LstmTrackerOptions.DefaultRestartDays, InferencePrecision precision = InferencePrecision.Float32) : IForecaster
{
    public const string ForecasterName = "lstm-stateful";

    private readonly ConditionalWeakTable<Dataset, Dictionary<int, LstmTracker>> _trackers = [];

    public string Name => ForecasterName;

    public LstmModel Model { get; } = model ?? throw new ArgumentNullException(nameof(model));

    public int RestartDays { get; } = restartDays;

    public IReadOnlyList<SkuForecast> Forecast(ForecastRequest request)
    {
        ForecastRequestChecks.Validate(request, Name);
        if (request.Horizon > Model.Horizon)
        {
            throw new ArgumentException($"{Name}: the model forecasts {Model.Horizon} days, the request asks for {request.Horizon}.", nameof(request));
        }

        var tracker = TrackerFor(request.Dataset, request.Horizon);
        var targets = request.Targets.ToArray();
        var tracks = targets.Select(tracker.Open).ToArray();
        tracker.Forecast(tracks, [.. targets.Select(_ => request.Origin)]);
        return [.. tracks.Select(t => LstmForecaster.FromOutput(Model, t.Output!, t.SkuIndex, request.Origin, request.Horizon, request.Levels))];
    }

    private LstmTracker TrackerFor(Dataset dataset, int days)
    {
        var byDays = _trackers.GetValue(dataset, _ => []);
        lock (byDays)
        {
            if (!byDays.TryGetValue(days, out var tracker))
            {
                tracker = new LstmTracker(Model, dataset, new LstmTrackerOptions { RestartDays = RestartDays, Days = days, Precision = precision });
                byDays[days] = tracker;
            }

            return tracker;
        }
    }
}
