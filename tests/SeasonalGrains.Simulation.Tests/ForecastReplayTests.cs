using Microsoft.Extensions.DependencyInjection;
using SeasonalGrains.Abstractions;
using SeasonalGrains.Data;
using SeasonalGrains.Domain.Inventory;
using SeasonalGrains.Forecasting;
using SeasonalGrains.Grains;
using SeasonalGrains.Grains.Forecasting;
using SeasonalGrains.Simulation.Replay;
using SeasonalGrains.Simulation.Scenarios;

namespace SeasonalGrains.Simulation.Tests;

/// <summary>Forecast policies replayed through the grains, with outlooks from the silo's forecast service.</summary>
[Collection(SiloCollection.Name)]
public sealed class ForecastReplayTests(SiloFixture silo)
{
    [Fact]
    public async Task Forecast_policies_through_the_grains_give_the_metrics_and_forecast_logs_of_the_bare_loop()
    {
        var season = Generate(skus: 5, seed: 11);
        var policies = new[]
        {
            Policy("forecast-order-up-to", "seasonal-naive", ("q", 0.9)),
            Policy("forecast-order-up-to", "oracle", ("q", 0.9)),
            Policy("forecast-safety-stock", "ets", ("z", 1.5)),
            Policy("season-aware", "seasonal-naive-yearly", ("q", 0.8)),
        };
        var (input, _) = Build(season.Dataset, windowDays: 100, reviewPeriod: 7, policies);
        var runId = ReplayRunner.NewRunId("forecast-grains");
        using var grainSources = Sources(season, reviewPeriod: 7, "seasonal-naive", "oracle", "ets", "seasonal-naive-yearly");
        using var registration = silo.Services.GetRequiredService<ReplayForecastService>().Register(runId, grainSources);

        // chunks of 10 days: reviews fall inside chunks and on their edges
        var outcome = await new ReplayDriver(silo.Grains, new ReplayDriverOptions { ChunkDays = 10, SkusPerBatch = 3 }).RunAsync(runId, input);

        // the bare loop gets its own sources: equal results come from equal forecasts, not from a shared cache
        using var bareSources = Sources(season, reviewPeriod: 7, "seasonal-naive", "oracle", "ets", "seasonal-naive-yearly");
        foreach (var (policy, result) in input.Policies.Zip(outcome.Policies.Select(p => p.Result)))
        {
            var logs = new ForecastLog?[input.Skus.Count];
            var bare = BareReplay.Run(input, policy, null, bareSources, logs);
            var bySku = result.Skus.ToDictionary(s => s.Sku);
            for (var i = 0; i < bare.Length; i++)
            {
                var grain = bySku[input.Skus[i].Sku];
                Assert.Equal(bare[i], grain.Metrics.ToDomain());
                var expected = logs[i]!;
                var actual = grain.Forecasts!;

                // reviews on days 0, 7, ..., 98 of the 100-day window
                Assert.Equal(Enumerable.Range(0, 15).Select(k => 7 * k), actual.ReviewDays);
                Assert.Equal(expected.ReviewDays, actual.ReviewDays);
                Assert.Equal(expected.IntervalMean, actual.IntervalMean);
                Assert.Equal(expected.IntervalLower, actual.IntervalLower);
                Assert.Equal(expected.IntervalUpper, actual.IntervalUpper);
                Assert.Equal(expected.IntervalActual, actual.IntervalActual);
                Assert.Equal(expected.DayMean, actual.DayMean);
                Assert.Equal(expected.DayLower, actual.DayLower);
            }

            Assert.True(bare.Sum(m => m.OrdersPlaced) > 0, $"{policy.Label} placed no order");
        }
    }

    [Fact]
    public async Task A_review_of_a_run_without_registered_forecasts_fails_with_a_clear_error()
    {
        var season = Generate(skus: 1, seed: 2);
        var (input, _) = Build(season.Dataset, windowDays: 20, reviewPeriod: 7, Policy("forecast-order-up-to", "oracle", ("q", 0.9)));

        var e = await Assert.ThrowsAnyAsync<Exception>(() => new ReplayDriver(silo.Grains).RunAsync(ReplayRunner.NewRunId("unregistered"), input));

        Assert.Contains("has no forecast sources on this silo", e.Message);
    }

    [Fact]
    public void Perfect_foresight_costs_less_than_seasonal_naive_under_the_same_order_up_to_policy()
    {
        // 20 generated down-jacket SKUs, two years from 2022-04-01; the last 180 days (2023-10-04..2024-03-31,
        // the winter) replayed with weekly reviews, lost sales, purchase cost, fixed cost 20 per order, both
        // policies ordering up to the 0.9 quantile of demand over lead time + review period.
        // Measured (seed 5): total cost 1,500,716 (oracle) against 1,597,489 (seasonal naive); fill rate 98.3% against
        // 95.3%; average stock value 52,846 against 101,039; interval MAE 20.6 against 58.3 units.
        var season = Generate(skus: 20, seed: 5);
        var (input, _) = Build(
            season.Dataset,
            windowDays: 180,
            reviewPeriod: 7,
            Policy("forecast-order-up-to", "oracle", ("q", 0.9)),
            Policy("forecast-order-up-to", "seasonal-naive", ("q", 0.9)));
        using var sources = Sources(season, reviewPeriod: 7, "oracle", "seasonal-naive");

        var oracleLogs = new ForecastLog?[input.Skus.Count];
        var naiveLogs = new ForecastLog?[input.Skus.Count];
        var oracle = InventoryMetrics.Sum(BareReplay.Run(input, input.Policies[0], null, sources, oracleLogs));
        var naive = InventoryMetrics.Sum(BareReplay.Run(input, input.Policies[1], null, sources, naiveLogs));
        var oracleAccuracy = ForecastLogAccuracy.Of(oracleLogs.OfType<ForecastLog>());
        var naiveAccuracy = ForecastLogAccuracy.Of(naiveLogs.OfType<ForecastLog>());

        Assert.True(oracle.TotalCost < naive.TotalCost, $"oracle {oracle.TotalCost:N0} vs seasonal naive {naive.TotalCost:N0}");
        Assert.True(oracleAccuracy.IntervalMae < naiveAccuracy.IntervalMae, $"interval MAE oracle {oracleAccuracy.IntervalMae:N1} vs seasonal naive {naiveAccuracy.IntervalMae:N1}");
        Assert.True(oracle.FillRate > naive.FillRate, $"fill rate oracle {oracle.FillRate:P1} vs seasonal naive {naive.FillRate:P1}");
    }

    [Fact]
    public void Policies_with_the_same_forecaster_see_the_same_outlook_on_every_sku_day()
    {
        // common random numbers: the sample paths depend on the seed, the SKU and the day only, so two policies
        // reading one forecaster record identical interval quantiles (read from the paths), not merely similar ones
        var season = Generate(skus: 3, seed: 4);
        var (input, _) = Build(
            season.Dataset,
            windowDays: 60,
            reviewPeriod: 7,
            Policy("forecast-order-up-to", "seasonal-naive", ("q", 0.7)),
            Policy("forecast-safety-stock", "seasonal-naive", ("z", 2)) with { Label = "safety" });
        using var sources = Sources(season, reviewPeriod: 7, "seasonal-naive");

        var a = new ForecastLog?[3];
        var b = new ForecastLog?[3];
        var first = BareReplay.Run(input, input.Policies[0], null, sources, a);
        var second = BareReplay.Run(input, input.Policies[1], null, sources, b);

        Assert.NotEqual(first.Select(m => m.UnitsOrdered), second.Select(m => m.UnitsOrdered));
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(a[i]!.IntervalLower, b[i]!.IntervalLower);
            Assert.Equal(a[i]!.IntervalMedian, b[i]!.IntervalMedian);
            Assert.Equal(a[i]!.IntervalUpper, b[i]!.IntervalUpper);
            Assert.Equal(a[i]!.DayLower, b[i]!.DayLower);
        }
    }

    internal static GeneratedSeason Generate(int skus, int seed) =>
        SeasonGenerator.Generate(new GeneratorOptions { Preset = SeasonPresets.DownJackets, Skus = skus, Years = 2, Seed = seed, Start = new DateOnly(2022, 4, 1) });

    internal static PolicyEntry Policy(string name, string forecaster, params (string Key, double Value)[] parameters) => new()
    {
        Name = name,
        Label = $"{name}:{forecaster}",
        Forecaster = forecaster,
        Parameters = parameters.ToDictionary(p => p.Key, p => p.Value),
    };

    internal static (ReplayInput Input, ReplayWindow Window) Build(Dataset dataset, int windowDays, int reviewPeriod, params PolicyEntry[] policies)
    {
        var scenario = new Scenario
        {
            Name = "forecast-test",
            DatasetFolder = "",
            Window = new WindowSpec(null, null, windowDays),
            ReviewPeriodDays = reviewPeriod,
            Costs = new CostSpec { FixedPerOrder = 20, PurchaseCost = true },
            Policies = policies,
        };
        var window = ReplayWindow.Resolve(scenario.Window, null, dataset, "test");
        return (ReplayInputBuilder.Build(scenario, dataset, window), window);
    }

    internal static ReplayForecastSources Sources(GeneratedSeason season, int reviewPeriod, params string[] names) =>
        ReplayForecastSources.Create(season.Dataset, names, new ForecastSourceOptions
        {
            Outlook = new OutlookOptions { ReviewPeriodDays = reviewPeriod, Record = false },
            Truth = () => TruthTableDemandTruth.Create(season.Truth),
        });
}
