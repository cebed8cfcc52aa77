using SeasonalGrains.Forecasting.Backtest;
using SeasonalGrains.Forecasting.Ensemble;
using SeasonalGrains.Forecasting.Outlook;
using static SeasonalGrains.Forecasting.Tests.BaselinesTestData;

namespace SeasonalGrains.Forecasting.Tests;

public class EnsembleTests
{
    private static readonly double[] Median = [0.5];

    [Fact]
    public void Each_sku_gets_the_member_that_forecast_it_best_before_the_origin()
    {
        // A always sells 10, B always 50; member "ten" forecasts 10, "fifty" 50 (every quantile)
        var dataset = Make(Constant(120, 10), Constant(120, 50));
        var ensemble = new EnsembleForecaster([Member("ten", 10), Member("fifty", 50)], new EnsembleOptions { ValidationDays = 40, StrideDays = 10 });

        var forecasts = ensemble.Forecast(new ForecastRequest(dataset, 100, 10, [0.1, 0.5, 0.9]));

        Assert.Equal([10.0, 50.0], forecasts.Select(f => f.Mean[0]));
        var choices = ensemble.Choices();
        Assert.Equal(["ten", "fifty"], choices.Select(c => c.Member));

        // windows start on 60, 70, 80, 90 (multiples of 10 ending before day 100);
        // "fifty" on A: the actual 10 is below every quantile 50, loss (1 - tau) 40, mean over 0.1, 0.5, 0.9 = 40 x 1.5 / 3 = 20
        Assert.All(choices, c => Assert.Equal(4, c.Windows));
        Assert.Equal([0.0, 20.0], choices[0].Losses);

        // "ten" on B: tau 40, mean 40 x 1.5 / 3 = 20
        Assert.Equal([20.0, 0.0], choices[1].Losses);
        Assert.Equal([60, 70, 80, 90], ensemble.ValidationOrigins(100, 10));

        // by default windows are at least 28 days apart: 112 days in steps of 28 for a horizon of 10 (the first,
        // on day 0, has no history), in steps of 29 for a horizon of 29
        Assert.Equal([28, 56, 84], new EnsembleForecaster([Member("ten", 10)]).ValidationOrigins(100, 10));
        Assert.Equal([29, 58, 87], new EnsembleForecaster([Member("ten", 10)]).ValidationOrigins(120, 29));
    }

    [Theory]
    [InlineData(109.5, 1, "default")] // 5% better on one SKU: kept the default (margin 10%)
    [InlineData(103, 1, "better")] // 70% better: taken
    [InlineData(109.3, 1, "default")] // 7% better on one SKU: below the margin of 10%
    [InlineData(109.3, 4, "better")] // 7% better on each of four SKUs: the pool's margin is 10% / sqrt(4) = 5%
    public void A_member_replaces_the_default_only_by_a_margin_that_shrinks_with_the_skus_behind_it(double better, int skus, string expected)
    {
        // every SKU sells 100 a day; the default forecasts 110 (median loss 0.5 x 10 = 5), the other `better`
        var dataset = Make([.. Enumerable.Range(0, skus).Select(_ => Constant(120, 100))]);
        var ensemble = new EnsembleForecaster([Member("default", 110), Member("better", better)]);

        ensemble.Forecast(new ForecastRequest(dataset, 112, 7, Median));

        Assert.All(ensemble.Choices(), c => Assert.Equal(expected, c.Member));
        Assert.All(ensemble.Choices(), c => Assert.Equal([5.0, Math.Round(0.5 * (better - 100), 9)], c.Losses.Select(l => Math.Round(l, 9))));
    }

    [Fact]
    public void A_sku_leaves_the_pooled_member_only_on_clear_evidence()
    {
        // three SKUs sell 100 a day; the default forecasts 120 (loss 10), "pooled" 104 (loss 2) for all,
        // "close" is 5% better than "pooled" on SKU 0 (loss 1.9) and "clear" 50% better on SKU 1 (loss 1)
        var dataset = Make(Constant(120, 100), Constant(120, 100), Constant(120, 100));
        var ensemble = new EnsembleForecaster(
        [
            Member("default", 120),
            Member("pooled", 104),
            Member("close", [103.8, 110, 110]),
            Member("clear", [110, 102, 110]),
        ]);

        ensemble.Forecast(new ForecastRequest(dataset, 112, 7, Median));

        Assert.Equal(["pooled", "clear", "pooled"], ensemble.Choices().Select(c => c.Member));
    }

    [Fact]
    public void A_member_fitted_once_is_scored_only_after_the_days_it_was_fitted_on()
    {
        var dataset = Make(Constant(200, 10));
        var options = new EnsembleOptions { ValidationDays = 40, StrideDays = 10 };

        // windows 160, 170, 180, 190; fitted on the days before day 175: compared on 180 and 190
        var recent = new EnsembleForecaster([Member("classical", 12), new EnsembleMember(new ConstantForecaster("fitted", [10]), Start.AddDays(175))], options);
        recent.Forecast(new ForecastRequest(dataset, 200, 10, Median));
        var choice = Assert.Single(recent.Choices());
        Assert.Equal(("fitted", 2), (choice.Member, choice.Windows));

        // fitted on the days before day 195: no window is out of its sample, so it is left out
        var late = new EnsembleForecaster([Member("classical", 12), new EnsembleMember(new ConstantForecaster("fitted", [10]), Start.AddDays(195))], options);
        late.Forecast(new ForecastRequest(dataset, 200, 10, Median));
        choice = Assert.Single(late.Choices());
        Assert.Equal(("classical", 4), (choice.Member, choice.Windows));
        Assert.True(double.IsNaN(choice.Losses[1]));
    }

    [Fact]
    public void Successive_origins_reuse_the_validation_windows_they_share()
    {
        var dataset = Make(Constant(200, 10));
        var ten = new ConstantForecaster("ten", [10]);
        var twelve = new ConstantForecaster("twelve", [12]);
        var ensemble = new EnsembleForecaster([new EnsembleMember(twelve), new EnsembleMember(ten)], new EnsembleOptions { ValidationDays = 40, StrideDays = 10 });

        ensemble.Forecast(new ForecastRequest(dataset, 150, 10, Median));
        Assert.Equal((4, 5), (twelve.Calls, ten.Calls)); // four windows each, and the chosen member's forecast

        ensemble.Forecast(new ForecastRequest(dataset, 160, 10, Median));
        Assert.Equal((5, 7), (twelve.Calls, ten.Calls)); // one new window each (150), and the forecast
    }

    [Fact]
    public void Members_that_err_on_opposite_sides_are_blended()
    {
        // four SKUs sell 100 a day; "low" forecasts 90 and "high" 112 at every level: median losses 0.5 x 10 = 5 and
        // 0.5 x 12 = 6; their blend at 1/2 each forecasts 101, loss 0.5, the best candidate on every SKU (3/4 low: 95.5,
        // loss 2.25; 1/4 low: 106.5, loss 3.25)
        var dataset = Make([.. Enumerable.Range(0, 4).Select(_ => Constant(120, 100))]);
        var ensemble = new EnsembleForecaster([Member("low", 90), Member("high", 112)]);

        var forecasts = ensemble.Forecast(new ForecastRequest(dataset, 112, 7, Median));

        Assert.All(ensemble.Choices(), c => Assert.Equal("0.5 low + 0.5 high", c.Member));
        Assert.All(ensemble.Choices(), c => Assert.Equal([5.0, 6.0], c.Losses));
        Assert.All(ensemble.Choices(), c => Assert.Equal(0.5, c.Loss, 9));
        Assert.All(forecasts, f => Assert.Equal(Enumerable.Repeat(101.0, 7), f.Mean));
        Assert.All(forecasts, f => Assert.All(f.Quantiles, q => Assert.Equal([101.0], q)));
        Assert.All(forecasts, f => Assert.Null(f.IntervalQuantiles));
    }

    [Fact]
    public void A_blend_takes_the_weights_that_forecast_best_and_keeps_interval_quantiles_only_when_every_member_has_them()
    {
        // two SKUs sell 100; 0.75 x 95 + 0.25 x 113 = 99.5: "0.75 low + 0.25 high" has loss 0.25, the 1/2 blend
        // forecasts 104 (loss 2) and the 1/4 blend 108.5 (loss 4.25), the members alone lose 2.5 and 6.5
        var dataset = Make(Constant(120, 100), Constant(120, 100));
        var low = new ConstantForecaster("low", [95]) { WithSums = true };
        var high = new ConstantForecaster("high", [113]) { WithSums = true };
        var ensemble = new EnsembleForecaster([new EnsembleMember(low), new EnsembleMember(high)]);

        var forecasts = ensemble.Forecast(new ForecastRequest(dataset, 112, 7, Median));

        Assert.All(ensemble.Choices(), c => Assert.Equal("0.75 low + 0.25 high", c.Member));
        Assert.All(ensemble.Choices(), c => Assert.Equal(0.25, c.Loss, 9));
        Assert.All(forecasts, f => Assert.Equal([99.5, 199.0, 298.5, 398.0, 497.5, 597.0, 696.5], f.IntervalQuantiles!.Select(q => Math.Round(q[0], 9))));

        // with a member that has no interval quantiles the blend has none either
        var mixed = new EnsembleForecaster([new EnsembleMember(low), Member("high", 113)]);
        var plain = mixed.Forecast(new ForecastRequest(dataset, 112, 7, Median));
        Assert.All(mixed.Choices(), c => Assert.Equal("0.75 low + 0.25 high", c.Member));
        Assert.All(plain, f => Assert.Null(f.IntervalQuantiles));
        Assert.All(plain, f => Assert.Equal(Enumerable.Repeat(99.5, 7), f.Mean));
    }

    [Fact]
    public void Three_members_are_also_blended_at_equal_weights_and_blends_can_be_turned_off()
    {
        // three SKUs sell 100; the members forecast 70, 115 and 116: the pairs' best is 0.25 x 70 + 0.75 x 115 =
        // 103.75 (loss 1.875), the three at 1/3 each forecast 100.33 (loss 0.167)
        var dataset = Make(Constant(120, 100), Constant(120, 100), Constant(120, 100));
        EnsembleMember[] members = [Member("a", 70), Member("b", 115), Member("c", 116)];
        var ensemble = new EnsembleForecaster(members);

        ensemble.Forecast(new ForecastRequest(dataset, 112, 7, Median));
        Assert.All(ensemble.Choices(), c => Assert.Equal("1/3 a + 1/3 b + 1/3 c", c.Member));

        // without blends: b (loss 7.5) beats the default a (loss 15) and c (8), taken
        var alone = new EnsembleForecaster(members, new EnsembleOptions { BlendMembers = 0 });
        alone.Forecast(new ForecastRequest(dataset, 112, 7, Median));
        Assert.All(alone.Choices(), c => Assert.Equal("b", c.Member));
        Assert.Throws<ArgumentException>(() => new EnsembleForecaster(members, new EnsembleOptions { BlendMembers = -1 }));
    }

    [Fact]
    public void The_forecast_reads_no_day_at_or_after_the_origin()
    {
        var a = Noisy(220, seed: 1);
        var b = Intermittent(220, seed: 2);
        const int origin = 180;
        var changedA = a.Select((u, t) => t < origin ? u : u * 7 + 3).ToArray();
        var changedB = b.Select((u, t) => t < origin ? u : 40 - u).ToArray();
        var levels = new[] { 0.05, 0.5, 0.95 };

        var first = Registered().Forecast(new ForecastRequest(Make(a, b), origin, 14, levels));
        var second = Registered().Forecast(new ForecastRequest(Make(changedA, changedB), origin, 14, levels));

        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(first[i].Mean, second[i].Mean);
            Assert.Equal(first[i].Quantiles, second[i].Quantiles);
        }

        // and a change on the day before the origin is seen
        var before = a.Select((u, t) => t == origin - 1 ? u + 500 : u).ToArray();
        var third = Registered().Forecast(new ForecastRequest(Make(before, b), origin, 14, levels));
        Assert.NotEqual(first[0].Mean, third[0].Mean);
    }

    [Fact]
    public void Its_quantiles_never_cross()
    {
        var levels = new[] { 0.005, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.995 };
        for (var seed = 0; seed < 40; seed++)
        {
            var random = new Random(seed);
            var days = random.Next(60, 240);
            var dataset = Make(Noisy(days, seed, sd: random.Next(1, 30)), Intermittent(days, seed + 1000), Constant(days, random.Next(0, 5)));
            var origin = random.Next(1, days);
            var horizon = random.Next(1, 29);
            var ensemble = Registered();

            foreach (var f in ensemble.Forecast(new ForecastRequest(dataset, origin, horizon, levels)))
            {
                foreach (var row in f.Quantiles)
                {
                    for (var k = 1; k < row.Length; k++)
                    {
                        Assert.True(row[k] >= row[k - 1], $"seed {seed}: quantiles {string.Join(", ", row)} cross");
                    }
                }
            }
        }
    }

    [Fact]
    public void The_chosen_members_interval_quantiles_reach_the_outlook()
    {
        var dataset = Make(Constant(120, 10));
        var sums = new ConstantForecaster("sums", [10]) { WithSums = true };
        var ensemble = new EnsembleForecaster([Member("twelve", 12), new EnsembleMember(sums)]);
        var options = new OutlookOptions { Horizon = 7, ErrorWindowDays = 0 };

        var outlook = new ForecastOutlookProvider(ensemble, dataset, options).GetOutlook(0, 100);
        var direct = new ForecastOutlookProvider(sums, dataset, options).GetOutlook(0, 100);

        Assert.IsAssignableFrom<IntervalQuantileOutlook>(outlook);
        Assert.Equal(direct.Quantile(0.9, 0, 5), outlook.Quantile(0.9, 0, 5));
        Assert.Equal(50, outlook.Quantile(0.5, 0, 5), 9); // five days of 10
    }

    [Fact]
    public void The_registered_ensemble_has_the_lstm_only_with_a_model_and_writes_its_choices()
    {
        var ensemble = Assert.IsType<EnsembleForecaster>(ForecasterRegistry.Default.Resolve("Ensemble", ForecasterUses.Replay).Create());
        Assert.Equal(["ets", "croston", "seasonal-naive", "seasonal-naive-yearly"], ensemble.MemberNames);

        var dataset = Make(Noisy(150, seed: 4));
        ensemble.Forecast(new ForecastRequest(dataset, 140, 7, Median));
        var writer = new StringWriter();
        BacktestCsv.WriteEnsemble(ensemble, dataset, writer);
        var lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("sku,origin_date,member,windows,loss,loss_ets,loss_croston,loss_seasonal-naive,loss_seasonal-naive-yearly", lines[0]);
        Assert.StartsWith("A,2024-05-20,", lines[1], StringComparison.Ordinal);
        Assert.Equal(9, lines[1].Split(',').Length);
        Assert.Equal("4", lines[1].Split(',')[3]); // windows of 7 days on 28, 56, 84 and 112 (112 days in steps of 28)
        Assert.Equal("ets 1 SKUs", EnsembleForecaster.Describe(ensemble.Choices()));
    }

    [Fact]
    public void Describe_counts_the_skus_of_each_member_most_first()
    {
        var choices = new[] { "ets", "lstm", "lstm", "croston", "lstm", "ets" }
            .Select((m, i) => new EnsembleChoice(i, 10, m, [], 4));

        Assert.Equal("lstm 3 SKUs, ets 2, croston 1", EnsembleForecaster.Describe(choices));
    }

    private static EnsembleForecaster Registered() =>
        (EnsembleForecaster)ForecasterRegistry.Default.Resolve("ensemble", ForecasterUses.Backtest).Create();

    private static EnsembleMember Member(string name, params double[] valuePerSku) => new(new ConstantForecaster(name, valuePerSku));

    private static double[] Constant(int days, double value) => Enumerable.Repeat(value, days).ToArray();

    private static double[] Intermittent(int days, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, days).Select(_ => random.NextDouble() < 0.7 ? 0.0 : random.Next(1, 20)).ToArray();
    }

    /// <summary>Forecasts one value per SKU (the last for SKUs beyond) at every day and level; counts its calls.</summary>
    private sealed class ConstantForecaster(string name, double[] valuePerSku) : IForecaster
    {
        private int _calls;

        public string Name => name;

        public int Calls => _calls;

        /// <summary>Also forecast the quantiles of the sums of days 0..h (each h + 1 times the value).</summary>
        public bool WithSums { get; init; }

        public IReadOnlyList<SkuForecast> Forecast(ForecastRequest request)
        {
            Interlocked.Increment(ref _calls);
            return [.. request.Targets.Select(sku =>
            {
                var value = valuePerSku[Math.Min(sku, valuePerSku.Length - 1)];
                var quantiles = Enumerable.Range(0, request.Horizon).Select(_ => request.Levels.Select(_ => value).ToArray()).ToArray();
                return new SkuForecast(sku, request.Origin, Enumerable.Repeat(value, request.Horizon).ToArray(), quantiles, request.Levels)
                {
                    IntervalQuantiles = WithSums
                        ? [.. Enumerable.Range(0, request.Horizon).Select(h => request.Levels.Select(_ => value * (h + 1)).ToArray())]
                        : null,
                };
            })];
        }
    }
}
