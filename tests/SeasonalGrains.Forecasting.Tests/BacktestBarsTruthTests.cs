using SeasonalGrains.Data.Generation;
using SeasonalGrains.Data.Io;
using SeasonalGrains.Data.Truth;
using SeasonalGrains.Forecasting.Backtest;

namespace SeasonalGrains.Forecasting.Tests;

/// <summary>The oracle of generated data: exact negative binomial quantiles at any level, from the generator's or an estimated size.</summary>
public sealed class BacktestBarsTruthTests : IDisposable
{
    private static readonly DateOnly Start = new(2024, 1, 1);
    private readonly string _temp = Directory.CreateTempSubdirectory("truth-adapter-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Fact]
    public void Quantiles_at_any_level_are_exact_for_a_known_size()
    {
        // Mean 2, size 1 is the geometric distribution with P(X <= k) = 1 - (2/3)^(k+1):
        // the 10% quantile is 0, the median 1 ((2/3)^2 = 0.44 <= 0.5) and the 90% quantile 5 ((2/3)^6 = 0.088 <= 0.1 < (2/3)^5).
        var table = TruthTable.FromNegativeBinomial(["A"], Start, 3, [[2, 2, 2]], [1]);
        var truth = TruthTableDemandTruth.Create(table);

        Assert.Equal(TruthSizeSource.Generator, truth.SizeSource);
        Assert.Equal([0, 1, 5], truth.QuantilesAt("A", Start.AddDays(1), [0.1, 0.5, 0.9])!);
        Assert.Null(truth.QuantilesAt("B", Start, [0.5]));
        Assert.Null(truth.QuantilesAt("A", Start.AddDays(3), [0.5]));
    }

    [Fact]
    public void The_oracle_uses_exact_quantiles_instead_of_interpolating_between_held_levels()
    {
        var table = TruthTable.FromNegativeBinomial(["A"], Start, 10, [Enumerable.Repeat(2.0, 10).ToArray()], [1]);
        var dataset = BaselinesTestData.Make(Enumerable.Repeat(1.0, 10).ToArray());
        var oracle = new OracleForecaster(TruthTableDemandTruth.Create(table));

        var forecast = Assert.Single(oracle.Forecast(new ForecastRequest(dataset, 5, 2, [0.1, 0.9])));

        Assert.Equal([2, 2], forecast.Mean);
        Assert.All(forecast.Quantiles, q => Assert.Equal([0, 5], q));

        // Interpolating the held levels 0.835 (quantile 4) and 0.975 (quantile 9: (2/3)^9 = 0.026 > 0.025) would give
        // 4 + (0.065 / 0.14) x 5 = 6.32 at 0.9.
        var held = table.Quantiles(0);
        Assert.Equal(4, held[table.LevelIndex(0.835)][0]);
        Assert.Equal(9, held[table.LevelIndex(0.975)][0]);
    }

    [Fact]
    public void Sizes_estimated_from_truth_csv_reproduce_its_quantiles_and_come_close_to_the_generator_sizes()
    {
        var season = SeasonGenerator.Generate(new GeneratorOptions { Preset = SeasonPresets.DownJackets, Skus = 6, Days = 200, Seed = 4 });
        DatasetWriter.Write(season.Dataset, _temp, season.Truth);
        var read = TruthReader.Read(_temp, season.Dataset);
        Assert.NotNull(read);
        Assert.Null(read.Size);

        var truth = TruthTableDemandTruth.Create(read);

        Assert.Equal(TruthSizeSource.EstimatedFromQuantiles, truth.SizeSource);
        Assert.True(truth.MatchedShare >= 0.99, $"estimated sizes reproduce {truth.MatchedShare:P2} of the stored quantiles");
        var generated = season.Truth.Size!;
        for (var s = 0; s < generated.Count; s++)
        {
            var ratio = truth.Sizes![s] / generated[s];
            Assert.True(ratio is > 0.8 and < 1.25, $"SKU {s}: estimated size {truth.Sizes[s]:0.00}, generated {generated[s]:0.00}");
        }
    }

    [Fact]
    public void A_truth_no_negative_binomial_fits_is_interpolated_and_says_so()
    {
        // Quantiles of a normal with mean 50 and sd 5 (not integers): no negative binomial reproduces them.
        double[] levels = [0.1, 0.5, 0.9];
        var quantiles = new[] { new[] { Enumerable.Repeat(43.59, 20).ToArray(), Enumerable.Repeat(50.0, 20).ToArray(), Enumerable.Repeat(56.41, 20).ToArray() } };
        var table = TruthTable.FromQuantiles(["A"], Start, 20, levels, [Enumerable.Repeat(50.0, 20).ToArray()], quantiles);

        var truth = TruthTableDemandTruth.Create(table);

        Assert.Equal(TruthSizeSource.None, truth.SizeSource);
        Assert.Null(truth.QuantilesAt("A", Start, [0.5]));
        Assert.Contains("interpolated", truth.Describe());
        Assert.Equal([43.59, 50, 56.41], truth.Find("A", Start)!.Quantiles);
    }
}
