using SeasonalGrains.Domain.Statistics;
using SeasonalGrains.Grains;

namespace SeasonalGrains.Simulation.Replay;

/// <summary>
/// Turns a scenario and its (cleaned) dataset into the replay's input: the window's series and, per
/// policy, each SKU's setup with its costs, explicit parameters (SKU over category over defaults)
/// and the demand statistics of its history before the window (in-stock days only).
/// </summary>
public static class ReplayInputBuilder
{
    private const int MaxListedErrors = 20;

    public static ReplayInput Build(
        Scenario scenario,
        Dataset dataset,
        ReplayWindow window,
        IReadOnlyList<string>? onlyPolicies = null,
        PolicyCatalog? catalog = null,
        StateWrites stateWrites = StateWrites.Never)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(window);
        catalog ??= ForecastPolicyCatalog.All;
        var source = scenario.SourcePath;
        var selected = SelectPolicies(scenario, onlyPolicies);
        CheckNames(scenario, dataset, selected);

        var n = dataset.Skus.Count;
        var days = window.Days;
        var units = new double[n][];
        var price = new double[]?[n];
        var promo = new bool[]?[n];
        var history = new DemandStatistics[n];
        var gaps = new List<string>();
        for (var i = 0; i < n; i++)
        {
            var series = dataset.Series[i];
            units[i] = series.Units.AsSpan(window.StartIndex, days).ToArray();
            price[i] = series.Price?.AsSpan(window.StartIndex, days).ToArray();
            promo[i] = series.Promo?.AsSpan(window.StartIndex, days).ToArray();
            history[i] = HistoryStatistics(series, window);
            var missing = Array.FindIndex(units[i], u => !double.IsFinite(u) || u < 0);
            if (missing >= 0)
            {
                gaps.Add($"dataset: SKU '{series.Sku}' has no usable demand on {window.Start.AddDays(missing):yyyy-MM-dd} after cleaning");
            }
        }

        if (gaps.Count > 0)
        {
            throw new ScenarioException(source, Limit(gaps));
        }

        var trace = new HashSet<string>(scenario.TraceSkus, StringComparer.Ordinal);
        var policies = new List<PolicyRunInput>();
        var errors = new List<string>();
        foreach (var (entry, index) in selected)
        {
            var setups = new SkuSetup[n];
            for (var i = 0; i < n; i++)
            {
                var info = dataset.Skus[i];
                var parameters = entry.ParametersFor(info.Sku, info.Category);
                var setup = new SkuSetup
                {
                    Sku = info.Sku,
                    Terms = TermsOf(info, scenario.Costs),
                    Costs = CostsOf(info, scenario),
                    Fulfilment = scenario.Fulfilment.ToWire(),
                    ReviewPeriodDays = scenario.ReviewPeriodDays,
                    Policy = new PolicySpec
                    {
                        Name = entry.Name,
                        Parameters = [.. parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new PolicyParameter(p.Key, p.Value))],
                        HistoryMean = history[i].Mean,
                        HistoryStandardDeviation = history[i].StandardDeviation,
                        HistoryDays = history[i].Days,
                        TargetServiceLevel = scenario.TargetServiceLevel,
                    },
                    WindowDays = days,
                    Trace = trace.Contains(info.Sku),
                    StateWrites = stateWrites,

                    // a forecast policy's review on window day d forecasts from dataset day StartIndex + d
                    Forecast = entry.Forecaster is { } forecaster
                        ? new ForecastSpec { Source = forecaster, SkuIndex = i, OriginOffset = window.StartIndex }
                        : null,
                };
                try
                {
                    setup.CreatePolicy(catalog);
                    setup.CreateLedger();
                }
                catch (ArgumentException e)
                {
                    var scope = entry.PerSku.ContainsKey(info.Sku) ? $"perSku.{info.Sku}"
                        : entry.PerCategory.ContainsKey(info.Category) ? $"perCategory.{info.Category}" : "parameters";
                    errors.Add($"policies[{index}].{scope}: SKU '{info.Sku}': {ScenarioLoader.FirstSentence(e.Message)}");
                }

                setups[i] = setup;
            }

            policies.Add(new PolicyRunInput(entry.Label, entry.Name, setups));
        }

        if (errors.Count > 0)
        {
            throw new ScenarioException(source, Limit(errors));
        }

        return new ReplayInput
        {
            Skus = dataset.Skus,
            Start = window.Start,
            Days = days,
            Units = units,
            Price = price.Any(p => p is not null) ? price : null,
            Promo = promo.Any(p => p is not null) ? promo : null,
            DaysToNextHoliday = HolidayDistances(dataset, window),
            Policies = policies,
            Censoring = StockCensoring.Of(dataset, window),
        };
    }

    /// <summary>
    /// Mean and standard deviation of daily demand over the history before the window, the days the SKU was out of
    /// stock skipped: their sales understate demand, so the parameters derived from these figures rest on in-stock days.
    /// </summary>
    public static DemandStatistics HistoryStatistics(SkuSeries series, ReplayWindow window)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(window);
        var history = series.Units.AsSpan(window.HistoryStartIndex, window.HistoryDays);
        if (series.CensoredDays(window.HistoryStartIndex, window.StartIndex) == 0)
        {
            return DemandStatistics.FromHistory(history);
        }

        // FromHistory skips values that are not finite
        var inStock = history.ToArray();
        for (var d = 0; d < inStock.Length; d++)
        {
            if (series.IsCensored(window.HistoryStartIndex + d))
            {
                inStock[d] = double.NaN;
            }
        }

        return DemandStatistics.FromHistory(inStock);
    }

    /// <summary>Holding per unit-day from the scenario's basis.</summary>
    public static double HoldingPerUnitDay(SkuInfo info, CostSpec costs) =>
        costs.HoldingBasis == HoldingBasis.AnnualRate ? costs.Holding * info.UnitCost / 365.0 : costs.Holding;

    public static CostRatesSpec CostsOf(SkuInfo info, Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(scenario);
        var c = scenario.Costs;
        var holding = HoldingPerUnitDay(info, c);
        var margin = Math.Max(0, info.UnitPrice - info.UnitCost);
        var shortage = c.ShortageBasis switch
        {
            ShortageBasis.PerUnit => c.Shortage,
            ShortageBasis.OfMargin => c.Shortage * margin,
            ShortageBasis.OfPrice => c.Shortage * info.UnitPrice,
            _ when scenario.Fulfilment == Fulfilment.Backorders =>
                holding * scenario.TargetServiceLevel / (1 - scenario.TargetServiceLevel),
            _ => c.PurchaseCost ? info.UnitPrice : margin,
        };
        return new CostRatesSpec
        {
            HoldingPerUnitDay = holding,
            ShortagePerUnit = shortage,
            FixedPerOrder = c.FixedPerOrder,
            PurchasePerUnit = c.PurchaseCost ? info.UnitCost : 0,
        };
    }

    public static SkuTermsSpec TermsOf(SkuInfo info, CostSpec costs)
    {
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(costs);
        // Leftovers are credited at salvage value only where purchases are charged; otherwise the
        // credit would offset a cost that was never counted.
        return new SkuTermsSpec(
            LeadTimeDays: info.LeadTimeDays,
            InitialOnHand: info.InitialOnHand,
            Moq: info.Moq,
            CasePack: info.CasePack,
            UnitCost: info.UnitCost,
            UnitPrice: info.UnitPrice,
            SalvageValue: costs.PurchaseCost ? info.SalvageValue : 0);
    }

    /// <summary>Days from each window day to the next holiday of the dataset's calendar; null without a calendar.</summary>
    public static int[]? HolidayDistances(Dataset dataset, ReplayWindow window)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(window);
        if (dataset.Calendar is not { } calendar)
        {
            return null;
        }

        var all = new int[dataset.Days];
        var next = int.MaxValue;
        for (var d = dataset.Days - 1; d >= 0; d--)
        {
            if (!string.IsNullOrEmpty(calendar.Holiday[d]))
            {
                next = d;
            }

            all[d] = next == int.MaxValue ? int.MaxValue : next - d;
        }

        return all.AsSpan(window.StartIndex, window.Days).ToArray();
    }

    private static List<(PolicyEntry Entry, int Index)> SelectPolicies(Scenario scenario, IReadOnlyList<string>? only)
    {
        var all = scenario.Policies.Select((p, i) => (p, i)).ToList();
        if (only is null || only.Count == 0)
        {
            return all;
        }

        var errors = new List<string>();
        foreach (var label in only)
        {
            if (!all.Any(x => x.p.Label == label))
            {
                errors.Add($"policies: the scenario has no policy labelled '{label}' (it has: {string.Join(", ", all.Select(x => x.p.Label))})");
            }
        }

        if (errors.Count > 0)
        {
            throw new ScenarioException(scenario.SourcePath, errors);
        }

        return all.Where(x => only.Contains(x.p.Label)).ToList();
    }

    private static void CheckNames(Scenario scenario, Dataset dataset, List<(PolicyEntry Entry, int Index)> selected)
    {
        var skus = dataset.Skus.Select(s => s.Sku).ToHashSet(StringComparer.Ordinal);
        var categories = dataset.Skus.Select(s => s.Category).ToHashSet(StringComparer.Ordinal);
        var errors = new List<string>();
        foreach (var (entry, index) in selected)
        {
            errors.AddRange(entry.PerCategory.Keys.Where(c => !categories.Contains(c))
                .Select(c => $"policies[{index}].perCategory.{c}: no SKU of the dataset has this category"));
            errors.AddRange(entry.PerSku.Keys.Where(s => !skus.Contains(s))
                .Select(s => $"policies[{index}].perSku.{s}: the dataset has no such SKU"));
        }

        errors.AddRange(scenario.TraceSkus.Select((s, i) => (s, i)).Where(x => !skus.Contains(x.s))
            .Select(x => $"traceSkus[{x.i}]: the dataset has no SKU '{x.s}'"));
        if (errors.Count > 0)
        {
            throw new ScenarioException(scenario.SourcePath, Limit(errors));
        }
    }

    private static List<string> Limit(List<string> errors) =>
        errors.Count <= MaxListedErrors
            ? errors
            : [.. errors.Take(MaxListedErrors), $"... and {errors.Count - MaxListedErrors} more"];
}
