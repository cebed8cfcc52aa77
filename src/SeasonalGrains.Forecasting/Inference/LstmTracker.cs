using SeasonalGrains.Domain.Policies;
using SeasonalGrains.Forecasting.Lstm;
using SeasonalGrains.Forecasting.Outlook;

namespace SeasonalGrains.Forecasting.Inference;

/// <summary>Settings of an <see cref="LstmTracker"/>.</summary>
public sealed record LstmTrackerOptions
{
    /// <summary>
    /// Days between encoder restarts (S). The state that forecasts from origin o was started, from zeros, on the
    /// latest multiple of S at least a window before o, so it has read between Window and Window + S - 1 days.
    /// Smaller values keep the read history closer to the training window and cost more encoder steps per day:
    /// ceil(Window / S) + 1 states are kept per SKU, and (Window + S - 1) / S of them are stepped per day on
    /// average (a state rests once the origins it forecasts are past). 0 never restarts: one state reads everything from
    /// <see cref="LstmModel.Window"/> days before the dataset's first day (zero rows) on.
    /// </summary>
    public int RestartDays { get; init; } = DefaultRestartDays;

    /// <summary>
    /// 56: each forecast reads 28 to 83 days and 1.48 encoder days run per SKU-day. On the down-jackets backtest
    /// (2 x 64 model) S = 28, 56, 84, 112 and never gave pinball 0.9248, 0.9242, 0.9247, 0.9253, 0.9247 and 80%
    /// coverage 80.0, 79.4, 78.9, 78.8, 78.1%: longer reads cost a little coverage, nothing else.
    /// </summary>
    public const int DefaultRestartDays = 56;

    /// <summary>Horizon days forecast from each origin (null: the model's horizon).</summary>
    public int? Days { get; init; }

    /// <summary>Number format of the network.</summary>
    public InferencePrecision Precision { get; init; } = InferencePrecision.Float32;

    /// <summary>Outlook settings: review period, error record window and minimum, sample paths of the fallback, seed.</summary>
    public OutlookOptions Outlook { get; init; } = new();

    public void Validate()
    {
        if (RestartDays < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(RestartDays), RestartDays, "Restarts must be at least 1 day apart (0: never).");
        }

        if (Days is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Days), Days, "At least one day must be forecast.");
        }

        Outlook.Validate();
    }
}

/// <summary>
/// Forecasts of the shared LSTM that carry each SKU's encoder state from day to day instead of re-reading a
/// window: a forecast from origin o costs one encoder day per kept state plus the head, where
/// <see cref="LstmModel.Predict"/> costs <see cref="LstmModel.Window"/> encoder days.
/// </summary>
/// <remarks>
/// <para>
/// The forecast from o is the model run, from a zero state, over days r(o) .. o - 1, where
/// r(o) = ⌊(o - Window) / S⌋ · S is the latest multiple of <see cref="LstmTrackerOptions.RestartDays"/> S at least a
/// window before o: a pure function of the data and the origin. So forecasts do not depend on the order of
/// requests, on restarts of the caller or on which other SKUs share a batch, and where o - Window is a multiple of
/// S they equal <see cref="LstmModel.Predict"/> on the window at o. Each SKU keeps ceil(Window / S) + 1 states,
/// started on successive multiples of S, and steps them all through each new day.
/// </para>
/// <para>
/// Error record, as <see cref="ForecastOutlookProvider"/>: at origin o the forecasts made from the review origins
/// o - R, o - 2R, ... within <see cref="OutlookOptions.ErrorWindowDays"/> are compared with the units of the days each
/// was the newest forecast for. A SKU's first forecast also makes the forecasts of those earlier origins.
/// </para>
/// <para>
/// Outlooks: with the interval head, an <see cref="IntervalQuantileOutlook"/> read from the model's levels;
/// without it, sample paths over the daily quantiles (<see cref="SamplePathOutlook"/>).
/// </para>
/// Not thread-safe per SKU: one caller at a time may forecast a given <see cref="LstmTrack"/>; different tracks may
/// be forecast from different threads, in separate calls.
/// </remarks>
public sealed class LstmTracker
{
    /// <summary>SKUs whose forecasts a batching caller gathers into one <see cref="Forecast"/> call.</summary>
    public const int DefaultBatchSkus = 2048;

    private readonly FeatureBuilder _features;
    private readonly double[] _scores;
    private readonly double[] _levels;
    private long _steps;
    private long _forecasts;

    public LstmTracker(LstmModel model, Dataset dataset, LstmTrackerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(dataset);
        options ??= new LstmTrackerOptions();
        options.Validate();
        Model = model;
        Dataset = dataset;
        Options = options;
        Days = options.Days ?? model.Horizon;
        if (Days > model.Horizon)
        {
            throw new ArgumentOutOfRangeException(nameof(options), Days, $"The model forecasts {model.Horizon} days; {Days} were asked for.");
        }

        States = options.RestartDays == 0 ? 1 : ((model.Window + options.RestartDays - 1) / options.RestartDays) + 1;
        _features = model.FeaturesFor(dataset);
        _levels = [.. model.Quantiles];
        _scores = QuantileCurve.NormalScores(_levels);
    }

    public LstmModel Model { get; }

    public Dataset Dataset { get; }

    public LstmTrackerOptions Options { get; }

    /// <summary>Horizon days of each forecast.</summary>
    public int Days { get; }

    /// <summary>Encoder states kept per SKU.</summary>
    public int States { get; }

    /// <summary>Encoder days run so far (one per state and day).</summary>
    public long Steps => Interlocked.Read(ref _steps);

    /// <summary>Forecasts made so far (including the error record's earlier origins).</summary>
    public long Forecasts => Interlocked.Read(ref _forecasts);

    /// <summary>A SKU's track, with no state yet.</summary>
    public LstmTrack Open(int skuIndex)
    {
        if (skuIndex < 0 || skuIndex >= Dataset.Skus.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(skuIndex), skuIndex, $"SKU index must be within 0..{Dataset.Skus.Count - 1}.");
        }

        return new LstmTrack(this, skuIndex);
    }

    /// <summary>The first day of the run whose state forecasts from <paramref name="origin"/>: r(o) in the remarks.</summary>
    public int StartOf(int origin)
    {
        var s = Options.RestartDays;
        if (s == 0)
        {
            return -Model.Window;
        }

        return (int)Math.Floor((origin - Model.Window) / (double)s) * s;
    }

    /// <summary>
    /// Forecasts each track from its origin (index-aligned; origins in 1..Days-1), batching all tracks' encoder days
    /// into shared tensor calls, and sets each track's <see cref="LstmTrack.Outlook"/>.
    /// </summary>
    public void Forecast(IReadOnlyList<LstmTrack> tracks, IReadOnlyList<int> origins)
    {
        ArgumentNullException.ThrowIfNull(origins);
        Forecast(tracks, origins.Select(o => (IReadOnlyList<int>)[o]).ToArray());
    }

    /// <summary>
    /// Forecasts each track from each of its origins (ascending), as many calls of <see cref="Forecast(IReadOnlyList{LstmTrack}, IReadOnlyList{int})"/>
    /// would, but reading each day once; <see cref="LstmTrack.Outlooks"/> holds the outlooks in the order of the origins.
    /// A forecast reads demand before its origin only, so a caller may ask for the origins of several days ahead.
    /// </summary>
    public void Forecast(IReadOnlyList<LstmTrack> tracks, IReadOnlyList<IReadOnlyList<int>> origins)
    {
        ArgumentNullException.ThrowIfNull(tracks);
        ArgumentNullException.ThrowIfNull(origins);
        if (tracks.Count != origins.Count)
        {
            throw new ArgumentException($"{tracks.Count} tracks but {origins.Count} origin lists.", nameof(origins));
        }

        var active = new List<LstmTrack>(tracks.Count);
        for (var i = 0; i < tracks.Count; i++)
        {
            var track = tracks[i] ?? throw new ArgumentNullException(nameof(tracks), $"Track {i} is null.");
            if (!ReferenceEquals(track.Tracker, this))
            {
                throw new ArgumentException($"Track {i} belongs to another tracker.", nameof(tracks));
            }

            var list = origins[i] ?? throw new ArgumentNullException(nameof(origins), $"Origins {i} are null.");
            if (list.Count == 0)
            {
                throw new ArgumentException($"Track {i} has no origin.", nameof(origins));
            }

            for (var k = 0; k < list.Count; k++)
            {
                if (list[k] < 1 || list[k] >= Dataset.Days || (k > 0 && list[k] <= list[k - 1]))
                {
                    throw new ArgumentOutOfRangeException(nameof(origins), list[k], $"Forecast origins must ascend within 1..{Dataset.Days - 1}.");
                }
            }

            if (track.Plan(list))
            {
                active.Add(track);
            }
        }

        var steps = new List<LstmStep>(active.Count * States);
        long stepped = 0;
        long made = 0;
        while (active.Count > 0)
        {
            steps.Clear();
            foreach (var track in active)
            {
                track.AddSteps(steps);
            }

            Model.Step(steps, Options.Precision, Days);
            stepped += steps.Count;
            var kept = 0;
            for (var i = 0; i < active.Count; i++)
            {
                if (!active[i].AfterStep(ref made))
                {
                    active[kept++] = active[i];
                }
            }

            active.RemoveRange(kept, active.Count - kept);
        }

        // counted once per call: batcher threads adding to shared counters per forecast contend for their cache line
        Interlocked.Add(ref _steps, stepped);
        Interlocked.Add(ref _forecasts, made);
    }

    internal FeatureBuilder Features => _features;

    /// <summary>The outlook of one forecast (units, <see cref="Days"/> x OutputsPerDay floats); curves are read when first asked for.</summary>
    internal IForecastErrorOutlook BuildOutlook(float[] output, string sku, int origin, double? errorSd)
    {
        var outlook = new TrackedOutlook(this, output, sku, origin, errorSd);
        return Model.HasIntervalHead && Options.Outlook.UseIntervalQuantiles ? outlook : outlook.Paths();
    }

    internal QuantileCurve Curve(float[] output, int from) => QuantileCurve.FromScores(_scores, output.AsSpan(from, _levels.Length));

    /// <summary>
    /// One tracker forecast read as an <see cref="IntervalQuantileOutlook"/> straight from the model output (units):
    /// means and quantiles are read from it where asked, with no curve built, since millions of these are made in
    /// a replay (the model's quantiles never cross, so the output is a curve's values as they stand).
    /// </summary>
    private sealed class TrackedOutlook(LstmTracker tracker, float[] output, string sku, int origin, double? errorSd)
        : IntervalQuantileOutlook(tracker.Days)
    {
        private readonly int _perDay = tracker.Model.OutputsPerDay;
        private readonly int _q = tracker._levels.Length;

        public override double? ErrorStandardDeviation { get; } =
            errorSd ?? (QuantileCurve.AtScore(tracker._scores, output.AsSpan(0, tracker._levels.Length), 1)
                - QuantileCurve.AtScore(tracker._scores, output.AsSpan(0, tracker._levels.Length), -1)) / 2;

        /// <summary>Sample paths over the daily curves: for runs that do not start at the origin, and models without the interval head.</summary>
        public SamplePathOutlook Paths() => new(
            [.. Enumerable.Range(0, Horizon).Select(DayMean)],
            [.. Enumerable.Range(0, Horizon).Select(h => tracker.Curve(output, h * _perDay))],
            tracker.Options.Outlook.Sampling,
            SamplePathOutlook.StreamKey(tracker.Options.Outlook.Seed, sku, origin),
            ErrorStandardDeviation);

        protected override double DayMean(int h) => output[(h * _perDay) + _q];

        protected override double DayAtScore(int h, double z) => QuantileCurve.AtScore(tracker._scores, output.AsSpan(h * _perDay, _q), z);

        protected override double SumAtScore(int h, double z) => QuantileCurve.AtScore(tracker._scores, output.AsSpan((h * _perDay) + _q + 1, _q), z);

        protected override void SumsAtScore(double z, Span<double> destination) =>
            QuantileCurve.AtScoreRows(tracker._scores, output, _q + 1, _perDay, z, destination);

        protected override SamplePathOutlook SamplePaths() => Paths();
    }
}

/// <summary>
/// One SKU's encoder states and feature rows in an <see cref="LstmTracker"/>; <see cref="Outlook"/> holds the last
/// forecast. Made by <see cref="LstmTracker.Open"/>.
/// </summary>
public sealed class LstmTrack
{
    private readonly LstmTracker _tracker;
    private readonly float[][] _state;
    private readonly int[] _start; // first day each state has read; int.MinValue = unused
    private readonly float[] _row;
    private readonly float[] _future;
    private readonly List<int> _targets = [];
    private readonly HashSet<int> _asked = [];
    private readonly List<IForecastErrorOutlook> _outlooks = [];
    private readonly ErrorRecord _errors = new();
    private readonly double[] _units;
    private SkuFeatureWriter? _writer;
    private int _next = int.MinValue; // next day to read; every used state has read the days before it
    private int _futureOrigin = int.MinValue;
    private int _target;
    private float[]? _lastOutput;
    private int _lastOrigin = int.MinValue;

    internal LstmTrack(LstmTracker tracker, int skuIndex)
    {
        _tracker = tracker;
        SkuIndex = skuIndex;
        var model = tracker.Model;
        _state = [.. Enumerable.Range(0, tracker.States).Select(_ => model.NewState())];
        _start = Enumerable.Repeat(int.MinValue, tracker.States).ToArray();
        _row = new float[model.Schema.PastFeatureCount];
        _future = new float[model.Schema.FutureLength];
        _units = tracker.Dataset.Series[skuIndex].Units;
        Sku = tracker.Dataset.Skus[skuIndex].Sku;
    }

    public int SkuIndex { get; }

    public string Sku { get; }

    /// <summary>The origin of <see cref="Outlook"/> (int.MinValue before the first forecast).</summary>
    public int Origin { get; private set; } = int.MinValue;

    /// <summary>The last forecast's model output (units; <see cref="LstmTracker.Days"/> x OutputsPerDay floats), or null before the first.</summary>
    public float[]? Output { get; private set; }

    /// <summary>The last forecast's outlook, or null before the first.</summary>
    public IForecastErrorOutlook? Outlook { get; private set; }

    internal LstmTracker Tracker => _tracker;

    /// <summary>The outlooks of the last <see cref="LstmTracker.Forecast(IReadOnlyList{LstmTrack}, IReadOnlyList{IReadOnlyList{int}})"/> call, one per origin asked for.</summary>
    public IReadOnlyList<IForecastErrorOutlook> Outlooks => _outlooks;

    /// <summary>Plans the days to read up to the last of <paramref name="origins"/>; false when the one outlook asked for is already there.</summary>
    internal bool Plan(IReadOnlyList<int> origins)
    {
        _outlooks.Clear();
        _asked.Clear();
        if (origins.Count == 1 && origins[0] == Origin && Outlook is not null)
        {
            _outlooks.Add(Outlook);
            return false;
        }

        var origin = origins[0];
        var tracker = _tracker;
        var start = tracker.StartOf(origin);
        var r = tracker.Options.Outlook.ReviewPeriodDays;
        var window = tracker.Options.Outlook.ErrorWindowDays;
        _targets.Clear();
        if (_next == int.MinValue || origin <= Origin || _next > origin || _next < start || Slot(start) is null)
        {
            // a fresh track, a step back or a gap: forget everything and read from the first day needed, making
            // the forecasts of the earlier review origins the error record compares
            var first = origin;
            for (var o = origin - r; o >= Math.Max(1, origin - window); o -= r)
            {
                first = o;
            }

            _errors.Clear();
            _lastOutput = null;
            _lastOrigin = int.MinValue;
            for (var o = first; o < origin; o += r)
            {
                _targets.Add(o);
            }

            Array.Fill(_start, int.MinValue);
            _next = tracker.StartOf(first);
            _writer = tracker.Features.Writer(SkuIndex, Math.Max(0, _next));
            _futureOrigin = int.MinValue;
        }

        foreach (var o in origins)
        {
            _targets.Add(o);
            _asked.Add(o);
        }

        _target = 0;
        return true;
    }

    /// <summary>
    /// Adds the steps that read day <see cref="_next"/>, with the forecast where the next day is a target origin.
    /// A state started on day s forecasts the origins o with r(o) = s, the last being s + Window + S - 1, so it
    /// reads days s .. s + Window + S - 2 and then rests until its slot restarts: (Window + S - 1) / S encoder
    /// days per day on average instead of one per kept state.
    /// </summary>
    internal void AddSteps(List<LstmStep> steps)
    {
        var tracker = _tracker;
        var model = tracker.Model;
        var day = _next;
        var restart = tracker.Options.RestartDays;
        if (restart == 0 ? day == -model.Window : day % restart == 0)
        {
            // a restart day: the state of the run that started States runs ago is no longer needed
            var slot = SlotIndex(day);
            Array.Clear(_state[slot]);
            _start[slot] = day;
        }

        if (day >= 0)
        {
            _writer!.Advance(day + 1);
            if (RingHolds(day))
            {
                // the ring of known rows still holds this day's (the next fill replaces it): copy it, not recompute it
                var width = model.Schema.KnownFeatureCount;
                _writer.WritePastOnly(day, _row);
                _future.AsSpan(RingRow(day, model.Horizon) * width, width).CopyTo(_row.AsSpan(_row.Length - width));
            }
            else
            {
                _writer.WritePastRow(day, _row);
            }
        }
        else
        {
            Array.Clear(_row);
        }

        var origin = day + 1;
        var forecasting = origin == _targets[_target];
        var forecastSlot = forecasting ? Slot(tracker.StartOf(origin)) : null;
        if (forecasting && forecastSlot is null)
        {
            throw new InvalidOperationException($"SKU '{Sku}': no encoder state started on day {tracker.StartOf(origin)} for origin {origin}.");
        }

        if (forecasting)
        {
            FillFuture(origin);
        }

        var writer = _writer!;
        var scale = (float)(forecasting ? writer.ScaleAt(origin) : writer.Scale); // only a forecast reads it
        var lastUseful = restart == 0 ? int.MaxValue : model.Window + restart - 2; // days after its start a state still reads
        for (var k = 0; k < _state.Length; k++)
        {
            if (_start[k] == int.MinValue || _start[k] > day || day - _start[k] > lastUseful)
            {
                continue;
            }

            var withForecast = forecasting && k == forecastSlot;
            steps.Add(new LstmStep(
                _state[k],
                _row,
                withForecast ? _future : null,
                writer.Category,
                writer.Region,
                scale,
                withForecast ? (PendingOutput = new float[tracker.Days * model.OutputsPerDay]) : null,
                RingRow(origin, model.Horizon)));
        }
    }

    /// <summary>Moves past the day just read; true when the last target's forecast is made.</summary>
    internal bool AfterStep(ref long made)
    {
        var day = _next;
        _next = day + 1;
        if (PendingOutput is { } output && _targets[_target] == _next)
        {
            PendingOutput = null;
            Completed(_next, output);
            made++;
            _target++;
            if (_target == _targets.Count)
            {
                return true;
            }
        }

        return false;
    }

    private float[]? PendingOutput { get; set; }

    private void Completed(int origin, float[] output)
    {
        var tracker = _tracker;
        var options = tracker.Options.Outlook;
        var perDay = tracker.Model.OutputsPerDay;
        var q = tracker.Model.Quantiles.Count;

        // errors of the previous forecast on the days it was the newest for, then the record's window
        if (_lastOutput is { } last && _lastOrigin >= 1)
        {
            var end = Math.Min(Math.Min(_lastOrigin + options.ReviewPeriodDays, origin), _lastOrigin + tracker.Days);
            for (var d = _lastOrigin; d < end; d++)
            {
                if (double.IsFinite(_units[d]))
                {
                    _errors.Add(_lastOrigin, _units[d] - last[((d - _lastOrigin) * perDay) + q]);
                }
            }
        }

        _errors.DropBefore(Math.Max(1, origin - options.ErrorWindowDays));
        double? sd = options.ErrorWindowDays > 0 && _errors.Count >= options.MinErrors ? _errors.StandardDeviation() : null;

        _lastOutput = output;
        _lastOrigin = origin;
        Origin = origin;
        Output = output;
        Outlook = tracker.BuildOutlook(output, Sku, origin, sd);
        if (_asked.Contains(origin))
        {
            _outlooks.Add(Outlook);
        }

    }

    /// <summary>
    /// Writes the known rows of days origin..origin+Horizon-1 into the ring <see cref="_future"/> (day d in row
    /// d mod Horizon): rows of days an earlier fill already wrote are kept, since a day's known row does not change.
    /// </summary>
    private void FillFuture(int origin)
    {
        var schema = _tracker.Model.Schema;
        var width = schema.KnownFeatureCount;
        var horizon = schema.Horizon;
        var writer = _writer!;
        writer.Advance(Math.Max(writer.VisibleEnd, Math.Min(origin, _tracker.Dataset.Days)));
        var from = RingHolds(origin) ? _futureOrigin + horizon : origin; // the first day the ring does not hold yet

        for (var day = from; day < origin + horizon; day++)
        {
            writer.WriteKnownRow(day, _future.AsSpan(RingRow(day, horizon) * width, width));
        }

        _futureOrigin = origin;
    }

    /// <summary>Whether the ring of known rows holds <paramref name="day"/>'s: the last fill wrote days _futureOrigin .. + Horizon - 1.</summary>
    private bool RingHolds(int day) => _futureOrigin != int.MinValue && day >= _futureOrigin && day - _futureOrigin < _tracker.Model.Horizon;

    private static int RingRow(int day, int horizon) => ((day % horizon) + horizon) % horizon;

    private int SlotIndex(int startDay)
    {
        var n = _state.Length;
        if (n == 1)
        {
            return 0;
        }

        var index = (int)Math.Floor(startDay / (double)_tracker.Options.RestartDays);
        return ((index % n) + n) % n;
    }

    private int? Slot(int startDay)
    {
        var slot = SlotIndex(startDay);
        return _start[slot] == startDay ? slot : null;
    }
}
