using SeasonalGrains.Abstractions;
using SeasonalGrains.Abstractions.Live;
using static SeasonalGrains.Domain.Inventory.DomainLimits;

namespace SeasonalGrains.Host.Tests;

/// <summary>
/// The live SKU grain in the real silo (memory storage) under random sales, receipts, retries, closes
/// and deactivations: the totals it reports are exactly those of the events it acknowledged.
/// <see cref="LiveSkuBookProperties"/> runs 10,000 histories on the grain's bookkeeping; these are fewer and longer.
/// </summary>
[Collection(InMemoryHostFixture.Collection)]
public sealed class LiveSkuSiloProperties(InMemoryHostFixture fixture)
{
    private const int Cases = 40;
    private static readonly decimal[] Units = [0.1m, 0.2m, 0.25m, 1m, 3m];

    [Fact]
    public async Task Acknowledged_events_survive_deactivations_and_retries_exactly_once()
    {
        var grains = fixture.Host.Grains;
        var management = grains.GetGrain<IManagementGrain>(0);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        for (var seed = 1; seed <= Cases; seed++)
        {
            var random = new Random(seed);
            var sku = $"silo-prop-{seed}-{Guid.NewGuid():N}"[..24];
            var grain = grains.GetGrain<ILiveSkuGrain>(SkuKeys.Live(sku));
            var defined = await grain.Define(new LiveSkuDefinition
            {
                Sku = sku,
                Terms = new SkuTermsSpec { LeadTimeDays = 1, InitialOnHand = 100 },
                Costs = new CostRatesSpec { HoldingPerUnitDay = 0.1, ShortagePerUnit = 1 },
                Policy = new LivePolicy { Name = "sS", Parameters = [new("s", -1000), new("S", 0)] },
                StartDate = today.AddDays(-20),
            });
            Assert.Equal(DefineStatus.Created, defined.Status);

            var acked = new List<LiveEvent>();
            decimal sales = 0, receipts = 0;
            for (var step = 0; step < 25; step++)
            {
                var context = $"seed {seed}, step {step}";
                switch (random.Next(8))
                {
                    case < 4:
                        var e = new LiveEvent
                        {
                            EventId = $"e{step}",
                            Kind = random.Next(3) == 0 ? LiveEventKind.Receipt : LiveEventKind.Sale,
                            Units = (double)Units[random.Next(Units.Length)],
                        };
                        var outcome = (await grain.Record([e]))[0];
                        Assert.True(outcome.Status == EventStatus.Applied, $"{context}: {outcome.Status} {outcome.Detail}");
                        acked.Add(e with { Date = outcome.Date });
                        if (e.Kind == LiveEventKind.Sale)
                        {
                            sales += (decimal)e.Units;
                        }
                        else
                        {
                            receipts += (decimal)e.Units;
                        }

                        break;
                    case 4 or 5:
                        if (acked.Count > 0)
                        {
                            // a retry with the acknowledged day is never applied again
                            var retry = (await grain.Record([acked[random.Next(acked.Count)]]))[0];
                            Assert.True(retry.Status is EventStatus.Duplicate or EventStatus.DayClosed, $"{context}: retry {retry.Status}");
                        }

                        break;
                    case 6:
                        var view = (await grain.GetView())!;
                        var close = await grain.CloseDays(view.OpenDate);
                        Assert.True(close.Status == CloseStatus.Closed, $"{context}: close {close.Status} {close.Detail}");
                        break;
                    default:
                        await management.ForceActivationCollection(TimeSpan.Zero);
                        break;
                }
            }

            var end = (await grain.GetView())!;
            Assert.True((double)sales == RoundUnits(end.Metrics.UnitsDemanded + end.PendingSales), $"seed {seed}: sales {sales}, demanded {end.Metrics.UnitsDemanded} + pending {end.PendingSales}");
            Assert.True((double)receipts == RoundUnits(end.Metrics.UnitsReceived + end.PendingReceipts), $"seed {seed}: receipts {receipts}, received {end.Metrics.UnitsReceived} + pending {end.PendingReceipts}");
            Assert.True((double)(100 + receipts - sales) == RoundUnits(end.OnHand - end.Backorders + end.PendingReceipts - end.PendingSales), $"seed {seed}: on hand {end.OnHand}, backorders {end.Backorders}");
        }
    }
}
