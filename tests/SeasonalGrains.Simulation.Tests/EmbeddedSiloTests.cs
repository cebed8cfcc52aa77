using SeasonalGrains.Abstractions;
using SeasonalGrains.Abstractions.Live;

namespace SeasonalGrains.Simulation.Tests;

/// <summary>The embedded silo is configured by the same AddSeasonalGrains as the host, live SKU services included.</summary>
[Collection(SiloCollection.Name)]
public sealed class EmbeddedSiloTests(SiloFixture silo)
{
    [Fact]
    public async Task An_embedded_silo_hosts_a_live_sku_that_books_a_sale_and_closes_its_day()
    {
        var sku = "embedded-" + Guid.NewGuid().ToString("N")[..8];
        var grain = silo.Grains.GetGrain<ILiveSkuGrain>(SkuKeys.Live(sku));
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var defined = await grain.Define(new LiveSkuDefinition
        {
            Sku = sku,
            Terms = new SkuTermsSpec { LeadTimeDays = 1, InitialOnHand = 10 },
            Costs = new CostRatesSpec { HoldingPerUnitDay = 0.1, ShortagePerUnit = 1 },
            Policy = new LivePolicy { Name = "sS", Parameters = [new("s", -1000), new("S", 0)] },
            StartDate = today,
        });
        Assert.Equal(DefineStatus.Created, defined.Status);

        var booked = (await grain.Record([new LiveEvent { EventId = "sale-1", Kind = LiveEventKind.Sale, Units = 3 }]))[0];
        Assert.Equal(EventStatus.Applied, booked.Status);
        var close = await grain.CloseDays(today);
        Assert.Equal(CloseStatus.Closed, close.Status);

        // 10 on hand, 3 sold, no order (s = -1000): 7 left, 3 demanded, one day closed, holding 7 x 0.1
        var view = (await grain.GetView())!;
        Assert.Equal(1, view.DaysClosed);
        Assert.Equal(7, view.OnHand);
        Assert.Equal(3, view.Metrics.UnitsDemanded);
        Assert.Equal(0.7, view.Metrics.HoldingCost, 9);
    }
}
