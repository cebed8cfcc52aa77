using SeasonalGrains.Grains.Forecasting;
using SeasonalGrains.Grains.Hosting;
using SeasonalGrains.Grains.State;

namespace SeasonalGrains.Grains;

/// <summary>
/// One SKU: the domain ledger run through the day sequence, the reorder policy (rebuilt from the
/// setup through the policy catalog), and the feature window of the last days. State is written
/// as the setup's <see cref="StateWrites"/> says: at the close, after every chunk, or never.
/// A season with a known window ends on its last day: policies see the days left to it.
/// </summary>
/// <remarks>
/// A replay's SKU is idle once its season closes; idle collection frees it after a few minutes
/// (on a live SKU, the next call reactivates it from its stored state).
/// On a cluster a replay's SKU grains are placed at random over the silos (Orleans' own default since 9.2 weighs the
/// silos' CPU and memory and may put a whole replay, activated from one replay grain, on one silo), so a run spreads
/// evenly whatever silo its replay grain lives on.
/// </remarks>
[CollectionAgeLimit(Minutes = 5)]
[Orleans.Placement.RandomPlacement]
public sealed class SkuGrain(
    [PersistentState("sku", StorageNames.Skus)] IPersistentState<SkuState> state,
    PolicyCatalog catalog,
    ReplayForecastService forecasts) : Grain, ISkuGrain
{
    /// <summary>Days of units, price and promo kept as forecast features.</summary>
    public const int FeatureWindowDays = 28;

    private readonly FeatureRing _window = new(FeatureWindowDays);
    private SkuSetup? _setup;
    private SeasonStep? _season;
    private TraceRecorder? _trace;
    private SkuForecastSession? _forecast;
    private SkuResult? _result;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var saved = state.State;
        if (saved?.Setup is { } setup && saved.Ledger is { } ledger)
        {
            _setup = setup;
            var restored = setup.RestoreLedger(ledger);
            if (saved.Window is { } window)
            {
                _window.Load(window);
            }

            if (setup.Trace && setup.WindowDays > 0)
            {
                _trace = new TraceRecorder(setup.WindowDays);
                if (saved.Trace is { } trace)
                {
                    _trace.Load(trace);
                }
            }

            if (setup.Forecast is not null && !saved.Closed)
            {
                // a season under a forecast policy resumes with its run's sources on this silo (built from the run's plan if need be)
                _forecast = new SkuForecastSession(await forecasts.GetAsync(SkuForecastSession.RunIdOf(this.GetPrimaryKeyString())), setup);
                if (saved.Forecasts is { } log)
                {
                    _forecast.Recorder.Load(log);
                }
            }

            _season = new SeasonStep(restored, setup.CreatePolicy(catalog), setup.WindowDays, _forecast);
            if (saved.Closed)
            {
                _result = BuildResult(restored.Close()) with { Forecasts = saved.Forecasts };
            }
        }
    }

    public async Task<SkuResult?> Start(SkuSetup setup, DemandChunk firstChunk)
    {
        // one state write (after the chunk, when asked for) instead of two
        await Apply(setup);
        return await RunDays(firstChunk);
    }

    public async Task Configure(SkuSetup setup)
    {
        await Apply(setup);
        if (setup.StateWrites == StateWrites.EveryChunk)
        {
            await WriteState();
        }
    }

    public async Task<SkuResult?> RunDays(DemandChunk chunk)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        if (AlreadyRun(chunk, out var earlier))
        {
            return earlier;
        }

        var (setup, season) = Running();
        var ledger = season.Ledger;
        var units = chunk.Units;
        var n = units.Length;
        if (chunk.StartDay != ledger.Day)
        {
            throw new InvalidOperationException(
                $"SKU grain '{this.GetPrimaryKeyString()}' is at day {ledger.Day} but the chunk starts at day {chunk.StartDay}.");
        }

        if (setup.WindowDays > 0 && ledger.Day + n > setup.WindowDays)
        {
            throw new ArgumentException(
                $"The chunk runs past the season: days {chunk.StartDay}..{chunk.StartDay + n - 1} with a window of {setup.WindowDays} days.", nameof(chunk));
        }

        var holidays = chunk.DaysToNextHoliday;
        var price = chunk.Price;
        var promo = chunk.Promo;
        CheckLength(holidays?.Length, n, nameof(chunk.DaysToNextHoliday));
        CheckLength(price?.Length, n, nameof(chunk.Price));
        CheckLength(promo?.Length, n, nameof(chunk.Promo));

        var trace = _trace;
        _forecast?.ChunkStarts();
        if (_forecast is { Track: not null } forecast)
        {
            // the chunk's reviews are forecast in one request (forecasts never read the ledger)
            var reviews = new List<int>();
            for (var day = ledger.Day; day < ledger.Day + n; day++)
            {
                if (season.IsReviewDay(day))
                {
                    reviews.Add(day);
                }
            }

            await forecast.PrefetchAsync(reviews);
        }

        for (var i = 0; i < n; i++)
        {
            var day = season.Day;
            var outcome = await season.StepAsync(units[i], holidays is null ? int.MaxValue : holidays[i]);
            trace?.Record(day, outcome);
        }

        _window.PushRange(units, price, promo);

        if (setup.WindowDays > 0 && ledger.Day == setup.WindowDays)
        {
            return await Close();
        }

        if (setup.StateWrites == StateWrites.EveryChunk)
        {
            await WriteState();
        }

        return null;
    }

    public async Task<SkuResult> Close()
    {
        if (_result is { } done)
        {
            return done;
        }

        var (setup, season) = Running();
        _result = BuildResult(season.Close());
        if (setup.StateWrites != StateWrites.Never)
        {
            await WriteState();
        }

        return _result;
    }

    public Task<SkuStatus> GetStatus()
    {
        var key = this.GetPrimaryKeyString();
        if (_setup is null || _season?.Ledger is not { } ledger)
        {
            return Task.FromResult(new SkuStatus { Key = key });
        }

        return Task.FromResult(new SkuStatus
        {
            Key = key,
            Closed = _result is not null,
            Policy = _setup.Policy.Name,
            Day = ledger.Day,
            OnHand = ledger.OnHand,
            OnOrder = ledger.OnOrder,
            Backorders = ledger.Backorders,
            Metrics = _result?.Metrics ?? ledger.Snapshot(),
        });
    }

    public Task<FeatureWindow> GetFeatureWindow() => Task.FromResult(_window.ToWindow());

    private async Task Apply(SkuSetup setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
        var key = this.GetPrimaryKeyString();
        if (!key.EndsWith("/" + setup.Sku, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The setup of SKU '{setup.Sku}' was sent to grain '{key}'.", nameof(setup));
        }

        if (setup.WindowDays < 0)
        {
            throw new ArgumentException($"WindowDays must be 0 (open-ended) or more (got {setup.WindowDays}).", nameof(setup));
        }

        if (setup.Trace && setup.WindowDays == 0)
        {
            throw new ArgumentException("A daily trace needs a season of known length (WindowDays > 0).", nameof(setup));
        }

        // Build everything before touching the grain, so a bad setup leaves the grain as it was.
        var forecast = setup.Forecast is null ? null : new SkuForecastSession(await forecasts.GetAsync(SkuForecastSession.RunIdOf(key)), setup);
        var season = new SeasonStep(setup.CreateLedger(), setup.CreatePolicy(catalog), setup.WindowDays, forecast);
        _setup = setup;
        _season = season;
        _forecast = forecast;
        _window.Clear();
        _trace = setup.Trace ? new TraceRecorder(setup.WindowDays) : null;
        _result = null;
    }

    /// <summary>
    /// True for a chunk whose days the SKU has already run (a replay resumed after a crash sends the chunk of its last
    /// checkpoint again, and a retried call may arrive after its first attempt was applied): it is not run twice. The
    /// chunk that ended a closed season yields the result again; any other yields null, as it did the first time.
    /// </summary>
    private bool AlreadyRun(DemandChunk chunk, out SkuResult? result)
    {
        result = null;
        var end = chunk.StartDay + chunk.Units.Length;
        if (_season is null || chunk.Units.Length == 0 || end > _season.Day)
        {
            return false;
        }

        result = _result is not null && end == _season.Day ? _result : null;
        return true;
    }

    private (SkuSetup Setup, SeasonStep Season) Running()
    {
        if (_setup is null || _season is null)
        {
            throw new InvalidOperationException($"SKU grain '{this.GetPrimaryKeyString()}' is not configured.");
        }

        if (_result is not null)
        {
            throw new InvalidOperationException($"The season of SKU grain '{this.GetPrimaryKeyString()}' is closed.");
        }

        return (_setup, _season);
    }

    private SkuResult BuildResult(InventoryMetrics metrics) => new()
    {
        Sku = _setup!.Sku,
        Metrics = metrics,
        Trace = _trace?.Snapshot(),
        Forecasts = _forecast?.Recorder.Snapshot(),
    };

    private Task WriteState()
    {
        state.State = new SkuState
        {
            Setup = _setup,
            Ledger = _season!.Ledger.Capture().ToWire(),
            Window = _window.ToWindow(),
            Closed = _result is not null,
            Trace = _trace?.Snapshot(),
            SavedAt = DateTimeOffset.UtcNow,
            Forecasts = _forecast?.Recorder.Snapshot(),
        };
        return state.WriteStateAsync();
    }

    private static void CheckLength(int? length, int expected, string name)
    {
        if (length is { } l && l != expected)
        {
            throw new ArgumentException($"{name} has {l} values for {expected} days.", name);
        }
    }
}
