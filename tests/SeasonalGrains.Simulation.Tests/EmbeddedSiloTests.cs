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

    [Fact]
    public async Task A_live_sku_keeps_the_error_record_its_forecast_policies_read_as_a_replay_does()
    {
        // seasonal-naive (the default forecaster) forecasts each day as the day a week before it; the seed history is
        // two weeks of 10, 20, ..., 70, and each closed day sells the pattern plus a known deviation
        var sku = "errors-" + Guid.NewGuid().ToString("N")[..8];
        var grain = silo.Grains.GetGrain<ILiveSkuGrain>(SkuKeys.Live(sku));
        var start = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-9);
        double[] pattern = [10, 20, 30, 40, 50, 60, 70];
        double[] deviation = [0, 2, -2, 4, -4, 1, -1, 3, 0];
        await grain.Define(new LiveSkuDefinition
        {
            Sku = sku,
            Terms = new SkuTermsSpec { LeadTimeDays = 1, InitialOnHand = 1000 },
            Costs = new CostRatesSpec { HoldingPerUnitDay = 0.1, ShortagePerUnit = 1 },
            Policy = new LivePolicy { Name = "sS", Parameters = [new("s", -1000), new("S", 0)] },
            StartDate = start,
            History = [.. pattern, .. pattern],
        });

        for (var d = 0; d < deviation.Length; d++)
        {
            var date = start.AddDays(d);
            var sale = new LiveEvent { EventId = $"sale-{d}", Kind = LiveEventKind.Sale, Units = pattern[d % 7] + deviation[d], Date = date };
            Assert.Equal(EventStatus.Applied, (await grain.Record([sale]))[0].Status);
            Assert.Equal(CloseStatus.Closed, (await grain.CloseDays(date)).Status);
            var view = (await grain.GetView())!;

            // day 0 has no forecast before it; day d >= 1 adds the error deviation[d] - deviation[d - 7] (0 before day 7)
            if (d < 7)
            {
                Assert.Null(view.ErrorStandardDeviation); // fewer than 7 errors: the forecast's own spread stands in
            }
        }

        // errors 2, -2, 4, -4, 1, -1, 3 - 0, 0 - 2: mean 1/8, squares about it 55 - 8/64 = 54.875, over 7: sd 2.79987
        var last = (await grain.GetView())!;
        Assert.Equal(Math.Sqrt(54.875 / 7), last.ErrorStandardDeviation!.Value, 9);
    }
}
