using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using SeasonalGrains.Abstractions;
using SeasonalGrains.Domain.Inventory;

namespace SeasonalGrains.Host.Tests;

/// <summary>The domain's metrics record crosses the wire as its totals by name, through the Orleans serializer the silo uses.</summary>
public sealed class MetricsWireTests
{
    private static readonly InventoryMetrics Metrics = new()
    {
        Days = 365, SkuDays = 365, UnitsDemanded = 1200.5, UnitsFilledOnDemand = 1100.25, StockoutDays = 9, Cycles = 52, CyclesWithStockout = 4,
        OrdersPlaced = 13, HoldingCost = 0.1 + 0.2, SalvageCredit = 12.75,
    };

    [Fact]
    public void A_sku_result_keeps_every_total_bit_for_bit_and_its_ratios()
    {
        using var services = new ServiceCollection().AddSerializer(b => b.AddAssembly(typeof(SkuResult).Assembly)).BuildServiceProvider();
        var serializer = services.GetRequiredService<Serializer>();
        var result = new SkuResult { Sku = "jacket-7", Metrics = Metrics };

        var back = serializer.Deserialize<SkuResult>(serializer.SerializeToArray(result))!;

        Assert.Equal("jacket-7", back.Sku);
        Assert.Equal(Metrics, back.Metrics);
        Assert.Equal(0.1 + 0.2, back.Metrics.HoldingCost);
        Assert.Equal(48.0 / 52, back.Metrics.CycleServiceLevel, 12);
        Assert.Null(serializer.Deserialize<SkuStatus>(serializer.SerializeToArray(new SkuStatus { Key = "k" }))!.Metrics);
    }

    [Fact]
    public void A_copy_within_a_silo_is_the_same_immutable_record()
    {
        using var services = new ServiceCollection().AddSerializer(b => b.AddAssembly(typeof(SkuResult).Assembly)).BuildServiceProvider();
        var copy = services.GetRequiredService<DeepCopier>().Copy(new SkuResult { Sku = "jacket-7", Metrics = Metrics });

        Assert.Same(Metrics, copy.Metrics);
    }
}
