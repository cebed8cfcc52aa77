using SeasonalGrains.Domain.Statistics;
using SeasonalGrains.Grains.State;

namespace SeasonalGrains.Grains;

/// <summary>The one mapping between the wire records and the domain types.</summary>
public static class WireMapping
{
    public static SkuTerms ToDomain(this SkuTermsSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new SkuTerms
        {
            LeadTimeDays = spec.LeadTimeDays,
            InitialOnHand = spec.InitialOnHand,
            Moq = spec.Moq,
            CasePack = spec.CasePack,
            UnitCost = spec.UnitCost,
            UnitPrice = spec.UnitPrice,
            SalvageValue = spec.SalvageValue,
        };
    }

    public static CostRates ToDomain(this CostRatesSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new CostRates(spec.HoldingPerUnitDay, spec.ShortagePerUnit, spec.FixedPerOrder, spec.PurchasePerUnit);
    }

    public static Fulfilment ToDomain(this FulfilmentMode mode) => mode switch
    {
        FulfilmentMode.LostSales => Fulfilment.LostSales,
        FulfilmentMode.Backorders => Fulfilment.Backorders,
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown fulfilment mode."),
    };

    public static FulfilmentMode ToWire(this Fulfilment fulfilment) => fulfilment switch
    {
        Fulfilment.LostSales => FulfilmentMode.LostSales,
        Fulfilment.Backorders => FulfilmentMode.Backorders,
        _ => throw new ArgumentOutOfRangeException(nameof(fulfilment), fulfilment, "Unknown fulfilment."),
    };

    /// <summary>The inputs the policy catalog resolves the SKU's policy from.</summary>
    public static PolicyInputs ToPolicyInputs(this SkuSetup setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
        return ToPolicyInputs(
            setup.Terms, setup.Costs, setup.Fulfilment, setup.ReviewPeriodDays, setup.Policy.Parameters, setup.Policy.TargetServiceLevel,
            new DemandStatistics(setup.Policy.HistoryMean, setup.Policy.HistoryStandardDeviation, setup.Policy.HistoryDays), $" for SKU '{setup.Sku}'");
    }

    /// <summary>
    /// The inputs the policy catalog resolves a policy from, out of a SKU's wire terms, costs, fulfilment, review period
    /// and policy; a parameter given twice is refused (<paramref name="owner"/> ends the message, e.g. " for SKU 'x'").
    /// </summary>
    public static PolicyInputs ToPolicyInputs(
        SkuTermsSpec terms,
        CostRatesSpec costs,
        FulfilmentMode fulfilment,
        int reviewPeriodDays,
        IEnumerable<PolicyParameter> parameters,
        double targetServiceLevel,
        DemandStatistics history,
        string owner = "")
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var byName = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var p in parameters)
        {
            if (!byName.TryAdd(p.Name, p.Value))
            {
                throw new ArgumentException($"Policy parameter '{p.Name}' is given twice{owner}.");
            }
        }

        return new PolicyInputs
        {
            Parameters = byName,
            Terms = terms.ToDomain(),
            Costs = costs.ToDomain(),
            Fulfilment = fulfilment.ToDomain(),
            ReviewPeriodDays = reviewPeriodDays,
            History = history,
            TargetServiceLevel = targetServiceLevel,
        };
    }

    /// <summary>The SKU's policy, resolved by <paramref name="catalog"/> from the setup.</summary>
    public static IReorderPolicy CreatePolicy(this SkuSetup setup, PolicyCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return catalog.Create(setup.Policy.Name, setup.ToPolicyInputs());
    }

    /// <summary>An empty ledger at day 0 for the setup.</summary>
    public static InventoryLedger CreateLedger(this SkuSetup setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
        return new InventoryLedger(setup.Terms.ToDomain(), setup.Costs.ToDomain(), setup.Fulfilment.ToDomain(), setup.ReviewPeriodDays);
    }

    public static InventoryLedger RestoreLedger(this SkuSetup setup, LedgerSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(setup);
        ArgumentNullException.ThrowIfNull(snapshot);
        return InventoryLedger.Restore(
            setup.Terms.ToDomain(), setup.Costs.ToDomain(), setup.Fulfilment.ToDomain(), setup.ReviewPeriodDays, snapshot.ToDomain());
    }

    public static LedgerSnapshot ToWire(this LedgerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return new LedgerSnapshot(
            Day: state.Day,
            OnHand: state.OnHand,
            OnOrder: state.OnOrder,
            Backorders: state.Backorders,
            Pipeline: state.Pipeline,
            CycleOpen: state.CycleOpen,
            CycleHadStockout: state.CycleHadStockout,
            Totals: state.Totals,
            Counts: state.Counts);
    }

    public static LedgerState ToDomain(this LedgerSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return new LedgerState(
            snapshot.Day, snapshot.OnHand, snapshot.OnOrder, snapshot.Backorders, (double[])snapshot.Pipeline.Clone(),
            snapshot.CycleOpen, snapshot.CycleHadStockout, (double[])snapshot.Totals.Clone(), (int[])snapshot.Counts.Clone());
    }

}
