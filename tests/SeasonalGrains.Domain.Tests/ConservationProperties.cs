using FsCheck.Xunit;
using SeasonalGrains.Domain.Inventory;
using SeasonalGrains.Domain.Policies;

namespace SeasonalGrains.Domain.Tests;

/// <summary>Stock is never created or destroyed, whatever the demand and policy.</summary>
public sealed class ConservationProperties
{
    private static IReorderPolicy PolicyFor(byte kind, byte a, byte b) => (kind % 5) switch
    {
        0 => new BaseStockPolicy(a),
        1 => new MinMaxPolicy(Math.Min(a, b), Math.Max(a, b)),
        2 => new ReorderPointQuantityPolicy(a, 1 + (b % 40)),
        3 => new PeriodicReviewPolicy(1 + (b % 9), a),
        _ => new RuleEnginePolicy(Math.Min(a, b), Math.Max(a, b), 0.4, 5),
    };

    [Property(MaxTest = 300)]
    public bool Stock_is_conserved_every_day(
        byte[] demands, byte leadTime, byte reviewPeriod, bool lostSales, byte kind, byte a, byte b, byte moq, byte casePack, byte initial)
    {
        var terms = new SkuTerms { LeadTimeDays = leadTime % 8, InitialOnHand = initial, Moq = moq % 20, CasePack = casePack % 7 };
        var ledger = new InventoryLedger(terms, new CostRates(0.1, 1, 2, 1), lostSales ? Fulfilment.LostSales : Fulfilment.Backorders, 1 + (reviewPeriod % 4));
        var policy = PolicyFor(kind, a, b);
        var holidayEvery = 1 + (a % 30);
        for (var t = 0; t < demands.Length; t++)
        {
            var o = ledger.Step(demands[t], policy, daysToNextHoliday: holidayEvery - (t % holidayEvery));
            var m = ledger.Snapshot();
            var ok =
                Close(initial + m.UnitsReceived, m.UnitsSold + o.OnHand)
                && Close(m.UnitsOrdered, m.UnitsReceived + o.OnOrder)
                && Close(m.UnitsDemanded, m.UnitsFilledOnDemand + m.UnitsLost + m.UnitsBackordered)
                && Close(m.UnitsSold, m.UnitsFilledOnDemand + m.UnitsBackordered - o.Backorders)
                && o.OnHand >= 0 && o.Backorders >= 0 && o.OnOrder >= -1e-9
                && (!lostSales || o.Backorders == 0)
                && (o.OnHand == 0 || o.Backorders == 0);
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    [Property(MaxTest = 200)]
    public bool Every_order_is_a_multiple_of_the_case_pack_and_at_least_the_moq(byte[] demands, byte moq, byte casePack, byte a)
    {
        var pack = 2 + (casePack % 9);
        var terms = new SkuTerms { LeadTimeDays = 2, InitialOnHand = 0, Moq = moq % 30, CasePack = pack };
        var ledger = new InventoryLedger(terms, new CostRates(0, 0), Fulfilment.Backorders);
        var policy = new BaseStockPolicy(a);
        foreach (var d in demands)
        {
            var o = ledger.Step(d, policy);
            if (o.Ordered > 0 && (o.Ordered < terms.Moq || Math.Abs((o.Ordered / pack) - Math.Round(o.Ordered / pack)) > 1e-9))
            {
                return false;
            }
        }

        return true;
    }

    private static bool Close(double x, double y) => Math.Abs(x - y) <= 1e-6 * Math.Max(1, Math.Abs(x));
}
