using SeasonalGrains.Domain.Naming;
using SeasonalGrains.Forecasting.Backtest;
using SeasonalGrains.Forecasting.Ensemble;
using SeasonalGrains.Forecasting.Inference;
using SeasonalGrains.Forecasting.Lstm;

namespace SeasonalGrains.Forecasting;

/// <summary>Where a forecaster may be named.</summary>
[Flags]
public enum ForecasterUses
{
    None = 0,

    /// <summary><c>seasonal backtest --forecasters ...</c>.</summary>
    Backtest = 1,

    /// <summary>After the colon of a forecast policy in a replay, comparison or bench (<c>forecast-order-up-to:ets</c>).</summary>
    Replay = 2,

    /// <summary><c>Live:Forecaster</c>, the forecaster of live SKUs.</summary>
    Live = 4,
}

/// <summary>What a forecaster needs besides the history it is given.</summary>
public enum ForecasterNeeds
{
    /// <summary>Nothing: a statistical baseline, fitted per SKU and origin.</summary>
    History,

    /// <summary>A trained LSTM model folder (<see cref="ForecasterResources.Model"/>).</summary>
    Model,

    /// <summary>
    /// The history, and a trained LSTM model folder when one is given (<see cref="ForecasterResources.Model"/>): the
    /// ensemble, whose members include the LSTM only then. A backtest trains one as it does for <c>lstm</c>.
    /// </summary>
    ModelWhenGiven,

    /// <summary>The true demand distribution of a generated dataset (<see cref="ForecasterResources.Truth"/>, from truth.csv).</summary>
    Truth,
}

/// <summary>What <see cref="ForecasterEntry.Create"/> hands to the forecasters that need more than the history.</summary>
public sealed record ForecasterResources
{
    /// <summary>The trained model, for <see cref="ForecasterNeeds.Model"/> (the caller keeps it and disposes it).</summary>
    public LstmModel? Model { get; init; }

    /// <summary>Days between encoder restarts of <c>lstm-stateful</c> (0: never).</summary>
    public int RestartDays { get; init; } = LstmTrackerOptions.DefaultRestartDays;

    /// <summary>The true distribution, for <see cref="ForecasterNeeds.Truth"/>.</summary>
    public IDemandTruth? Truth { get; init; }
}

/// <summary>One forecaster of the registry: its name (and other names), its parameters, what it is, and how to make it.</summary>
public sealed class ForecasterEntry
{
    private readonly Func<ForecasterResources, IForecaster> _create;

    public ForecasterEntry(
        string name,
        string parameters,
        string description,
        ForecasterNeeds needs,
        ForecasterUses uses,
        Func<ForecasterResources, IForecaster> create,
        params string[] aliases)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(description);
        ArgumentNullException.ThrowIfNull(create);
        Name = name;
        Parameters = parameters;
        Description = description;
        Needs = needs;
        Uses = uses;
        _create = create;
        Aliases = [.. aliases];
    }

    /// <summary>The name the forecaster runs under (its <see cref="IForecaster.Name"/>, the row and column it gets).</summary>
    public string Name { get; }

    /// <summary>Other names it is known by (<c>perfect-foresight</c> for <c>oracle</c>).</summary>
    public IReadOnlyList<string> Aliases { get; }

    /// <summary>Its settings as made by <see cref="Create"/>, e.g. <c>alpha 0.1</c>.</summary>
    public string Parameters { get; }

    public string Description { get; }

    public ForecasterNeeds Needs { get; }

    public ForecasterUses Uses { get; }

    /// <summary>The forecaster with its registered settings; those that need a model or the truth take it from <paramref name="resources"/>.</summary>
    public IForecaster Create(ForecasterResources? resources = null) => _create(resources ?? new ForecasterResources());

    public override string ToString() => Name;
}

/// <summary>
/// The forecasters of the platform, each registered once with its name, parameters and description. Backtest,
/// replay, compare, bench and live SKUs resolve the names they are given here (names are read as
/// <see cref="RegisteredNames"/> says, as policy names are); an unknown name is refused with the list of the
/// names usable where it was written. Adding a forecaster is adding its class and one entry below.
/// </summary>
public sealed class ForecasterRegistry
{
    public const string Oracle = "oracle";

    /// <summary>Another name of <see cref="Oracle"/>.</summary>
    public const string PerfectForesight = "perfect-foresight";

    public const string Lstm = LstmForecaster.ForecasterName;

    public const string LstmStateful = StatefulLstmForecaster.ForecasterName;

    public const string Ensemble = EnsembleForecaster.ForecasterName;

    private const ForecasterUses Everywhere = ForecasterUses.Backtest | ForecasterUses.Replay | ForecasterUses.Live;

    public ForecasterRegistry(IEnumerable<ForecasterEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        Entries = [.. entries];
        RegisteredNames.CheckUnique(Entries.SelectMany(Spellings), "forecasters");
    }

    /// <summary>
    /// The baselines (naive, seasonal-naive, seasonal-naive-yearly, moving-average, ets, croston, tsb, in that
    /// order), oracle (also perfect-foresight), lstm, lstm-stateful and ensemble.
    /// </summary>
    public static ForecasterRegistry Default { get; } = new(
    [
        Baseline(() => new NaiveForecaster(), $"-", "the last observed day's units at every horizon"),
        Baseline(() => new SeasonalNaiveForecaster(), $"period {SeasonalNaiveForecaster.Period} days", "the same weekday of the last week"),
        Baseline(() => new YearlySeasonalNaiveForecaster(), $"period {YearlySeasonalNaiveForecaster.Period} days", "the same weekday 52 weeks earlier"),
        Baseline(() => new MovingAverageForecaster(), $"window {MovingAverageForecaster.DefaultWindow} days", "the mean of the last days"),
        Baseline(() => new EtsForecaster(), $"period {EtsForecaster.Period} days, at most {EtsForecaster.DefaultMaxEvaluations} evaluations per fit", "damped additive Holt-Winters with weekly seasonality, fitted per SKU and origin"),
        Baseline(() => new CrostonForecaster(), $"alpha {CrostonForecaster.DefaultAlpha}", "Croston's method for intermittent demand"),
        Baseline(() => new TsbForecaster(), $"alpha {TsbForecaster.DefaultAlpha}, beta {TsbForecaster.DefaultBeta}", "Teunter-Syntetos-Babai: demand size and probability smoothed apart"),
        new ForecasterEntry(
            Oracle,
            "truth.csv of a generated dataset",
            "the true demand distribution: the best any forecaster can do on average (a backtest adds it by itself when truth.csv is there)",
            ForecasterNeeds.Truth,
            ForecasterUses.Replay,
            r => new OracleForecaster(r.Truth ?? throw new InvalidOperationException($"The '{Oracle}' forecaster needs the true demand distribution: a generated dataset folder with truth.csv.")),
            PerfectForesight),
        new ForecasterEntry(
            Lstm,
            "a trained model folder",
            "one global quantile LSTM trained on every SKU, reading each origin's window",
            ForecasterNeeds.Model,
            Everywhere,
            r => new LstmForecaster(NeedModel(r, Lstm))),
        new ForecasterEntry(
            LstmStateful,
            $"a trained model folder; encoder restarts every {LstmTrackerOptions.DefaultRestartDays} days",
            "the same model run as stateful replays run it, its state carried from day to day (in a replay: forecasters.lstm.inference = stateful)",
            ForecasterNeeds.Model,
            ForecasterUses.Backtest,
            r => new StatefulLstmForecaster(NeedModel(r, LstmStateful), r.RestartDays)),
        new ForecasterEntry(
            Ensemble,
            FormattableString.Invariant(
                $"members lstm (when there is a model), {string.Join(", ", EnsembleForecaster.ClassicalMembers)}; {EnsembleOptions.DefaultValidationDays} validation days before the origin, margin {EnsembleOptions.DefaultMargin * 100:0}%, blends of the first {EnsembleOptions.DefaultBlendMembers}"),
            "per SKU the member with the lowest pinball loss on windows before the origin; the member or blend of members best across SKUs unless clearly beaten",
            ForecasterNeeds.ModelWhenGiven,
            ForecasterUses.Backtest | ForecasterUses.Replay,
            CreateEnsemble),
    ]);

    public IReadOnlyList<ForecasterEntry> Entries { get; }

    /// <summary>The entries that need nothing but the history, in registry order.</summary>
    public IEnumerable<ForecasterEntry> Baselines => Entries.Where(e => e.Needs == ForecasterNeeds.History);

    /// <summary>The names (and other names, after their entry's) that may be written where <paramref name="use"/> says.</summary>
    public IReadOnlyList<string> Names(ForecasterUses use) => [.. Entries.Where(e => e.Uses.HasFlag(use)).SelectMany(Spellings)];

    /// <summary>A new instance of every baseline with its registered settings, in registry order.</summary>
    public IReadOnlyList<IForecaster> CreateBaselines() => [.. Baselines.Select(e => e.Create())];

    /// <summary>The entry <paramref name="name"/> (or one of its other names) stands for, whatever its uses; null when none.</summary>
    public ForecasterEntry? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Entries.FirstOrDefault(e => RegisteredNames.Find(name, Spellings(e)) is not null);
    }

    /// <summary>
    /// The entry of <paramref name="name"/> when it may be used where <paramref name="use"/> says; otherwise null,
    /// and <paramref name="error"/> says why and lists the names usable there (<paramref name="where"/>, when
    /// given, names the text the name was read from).
    /// </summary>
    public ForecasterEntry? TryResolve(string name, ForecasterUses use, out string error, string? where = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        error = "";
        var entry = Find(name);
        if (entry is null)
        {
            error = RegisteredNames.Unknown("forecaster", name, Names(use), where);
            return null;
        }

        if (!entry.Uses.HasFlag(use))
        {
            error = $"forecaster '{entry.Name}'{(where is null ? "" : $" in '{where}'")} cannot be used {Place(use)} (usable there: {string.Join(", ", Names(use))})";
            return null;
        }

        return entry;
    }

    /// <summary>As <see cref="TryResolve"/>, throwing <see cref="ArgumentException"/> with the reason.</summary>
    public ForecasterEntry Resolve(string name, ForecasterUses use) =>
        TryResolve(name, use, out var error) ?? throw new ArgumentException(error, nameof(name));

    private static IEnumerable<string> Spellings(ForecasterEntry entry) => [entry.Name, .. entry.Aliases];

    /// <summary>A baseline registered under the name its instances give.</summary>
    private static ForecasterEntry Baseline(Func<IForecaster> create, FormattableString parameters, string description) =>
        new(create().Name, FormattableString.Invariant(parameters), description, ForecasterNeeds.History, Everywhere, _ => create());

    /// <summary>The registered ensemble: lstm first when there is a model, then the classical members with their registered settings.</summary>
    private static EnsembleForecaster CreateEnsemble(ForecasterResources resources)
    {
        var members = new List<EnsembleMember>();
        if (resources.Model is { } model)
        {
            members.Add(EnsembleMember.ForModel(new LstmForecaster(model)));
        }

        members.AddRange(EnsembleForecaster.ClassicalMembers.Select(name => new EnsembleMember(Default.Resolve(name, ForecasterUses.Replay).Create())));
        return new EnsembleForecaster(members);
    }

    private static LstmModel NeedModel(ForecasterResources resources, string name) =>
        resources.Model ?? throw new InvalidOperationException($"The '{name}' forecaster needs a trained model folder (made by `seasonal train`).");

    private static string Place(ForecasterUses use) => use switch
    {
        ForecasterUses.Backtest => "in a backtest",
        ForecasterUses.Replay => "by a forecast policy of a replay",
        ForecasterUses.Live => "by live SKUs",
        _ => "here",
    };
}
