using SeasonalGrains.Data.Generation;
using SeasonalGrains.Data.Truth;

namespace SeasonalGrains.Data.Tests.Generation;

public class NegativeBinomialTests
{
    private static readonly double[] Levels = [.. TruthTable.StandardLevels];

    // Size 1 is the geometric distribution: P(X <= k) = 1 - q^(k+1) with q = mean / (1 + mean).
    // Mean 2: F(0) = 1/3, F(1) = 0.556, F(3) = 0.802, F(4) = 0.868, F(8) = 0.97399, F(9) = 0.98266,
    // F(12) = 0.99486, F(13) = 0.99657.
    [Fact]
    public void Quantiles_of_a_geometric_distribution_match_the_closed_form()
    {
        var q = new double[Levels.Length];
        NegativeBinomial.Quantiles(2, 1, Levels, q);
        Assert.Equal(new double[] { 0, 0, 0, 0, 1, 3, 4, 9, 13 }, q);
    }

    // Infinite size is Poisson(1): F(0) = 0.368, F(1) = 0.736, F(2) = 0.920, F(3) = 0.981, F(4) = 0.996.
    [Fact]
    public void Quantiles_with_infinite_size_are_poisson_quantiles()
    {
        var q = new double[Levels.Length];
        NegativeBinomial.Quantiles(1, double.PositiveInfinity, Levels, q);
        Assert.Equal(new double[] { 0, 0, 0, 0, 1, 2, 2, 3, 4 }, q);
    }

    [Fact]
    public void The_cdf_of_a_geometric_distribution_matches_the_closed_form()
    {
        for (var k = 0; k < 20; k++)
        {
            Assert.Equal(1 - Math.Pow(2.0 / 3, k + 1), NegativeBinomial.Cdf(k, 2, 1), 12);
        }
    }

    [Fact]
    public void Log_gamma_matches_log_factorials()
    {
        Assert.Equal(Math.Log(120), SpecialFunctions.LogGamma(6), 12);
        Assert.Equal(0.5 * Math.Log(Math.PI), SpecialFunctions.LogGamma(0.5), 12);
        // ln(170!) from the sum of logs.
        var sum = Enumerable.Range(1, 170).Sum(i => Math.Log(i));
        Assert.Equal(sum, SpecialFunctions.LogGamma(171), 9);
    }

    /// <summary>
    /// Sample mean and variance of n draws against theory. The tolerance is 5 standard errors:
    /// SE(mean) = σ/√n and SE(s²) ≈ σ²·√((κ − 1)/n) with κ the kurtosis (fourth standardised moment).
    /// For NB(μ, r): excess kurtosis = 6/r + p²/(r(1 − p)) with p = r/(r + μ); Poisson(λ): 1/λ.
    /// </summary>
    [Theory]
    [InlineData(5.0, 2.0)]
    [InlineData(0.3, 0.8)]
    [InlineData(40.0, 10.0)]
    [InlineData(400.0, 5.0)]
    [InlineData(3.0, double.PositiveInfinity)]
    [InlineData(50.0, double.PositiveInfinity)]
    [InlineData(5000.0, double.PositiveInfinity)]
    public void Sample_mean_and_variance_match_theory(double mean, double size)
    {
        const int N = 200_000;
        var rng = new Xoshiro256StarStar(12345, (ulong)(mean * 1000));
        double sum = 0, sumSq = 0;
        for (var i = 0; i < N; i++)
        {
            double x = rng.NextNegativeBinomial(mean, size);
            sum += x;
            sumSq += x * x;
        }

        var sampleMean = sum / N;
        var sampleVar = (sumSq - (N * sampleMean * sampleMean)) / (N - 1);
        var variance = NegativeBinomial.Variance(mean, size);
        double excessKurtosis;
        if (double.IsPositiveInfinity(size))
        {
            excessKurtosis = 1 / mean;
        }
        else
        {
            var p = size / (size + mean);
            excessKurtosis = (6 / size) + (p * p / (size * (1 - p)));
        }

        var seMean = Math.Sqrt(variance / N);
        var seVar = variance * Math.Sqrt((excessKurtosis + 2) / N);
        Assert.InRange(sampleMean, mean - (5 * seMean), mean + (5 * seMean));
        Assert.InRange(sampleVar, variance - (5 * seVar), variance + (5 * seVar));
    }

    /// <summary>
    /// The exact quantile q of level α satisfies F(q − 1) &lt; α ≤ F(q). With n draws the empirical CDF
    /// has a standard error of at most √(0.25/n) = 0.0016 at n = 100,000; 5 standard errors = 0.008.
    /// </summary>
    [Theory]
    [InlineData(12.3, 3.0)]
    [InlineData(0.7, 1.5)]
    [InlineData(150.0, 8.0)]
    public void Truth_quantiles_match_the_empirical_quantiles_of_many_draws(double mean, double size)
    {
        const int N = 100_000;
        const double Tolerance = 0.008;
        var rng = new Xoshiro256StarStar(99, (ulong)(mean * 10));
        var draws = new long[N];
        for (var i = 0; i < N; i++)
        {
            draws[i] = rng.NextNegativeBinomial(mean, size);
        }

        var q = new double[Levels.Length];
        NegativeBinomial.Quantiles(mean, size, Levels, q);
        for (var l = 0; l < Levels.Length; l++)
        {
            var atQ = draws.Count(x => x <= q[l]) / (double)N;
            var belowQ = draws.Count(x => x <= q[l] - 1) / (double)N;
            Assert.True(atQ >= Levels[l] - Tolerance, $"level {Levels[l]}: empirical F(q={q[l]}) = {atQ}");
            Assert.True(belowQ <= Levels[l] + Tolerance, $"level {Levels[l]}: empirical F(q-1={q[l] - 1}) = {belowQ}");
        }
    }

    [Fact]
    public void The_generator_is_reproducible_and_streams_differ()
    {
        var a = new Xoshiro256StarStar(7, 1);
        var b = new Xoshiro256StarStar(7, 1);
        var c = new Xoshiro256StarStar(7, 2);
        var first = Enumerable.Range(0, 5).Select(_ => a.NextULong()).ToArray();
        Assert.Equal(first, Enumerable.Range(0, 5).Select(_ => b.NextULong()));
        Assert.NotEqual(first, Enumerable.Range(0, 5).Select(_ => c.NextULong()));
    }

    [Fact]
    public void Uniform_doubles_stay_in_the_unit_interval_with_mean_one_half()
    {
        var rng = new Xoshiro256StarStar(1);
        const int N = 100_000;
        var sum = 0.0;
        for (var i = 0; i < N; i++)
        {
            var u = rng.NextDouble();
            Assert.InRange(u, 0, 1 - 1e-17);
            sum += u;
        }

        // SE of the mean of U(0,1) is sqrt(1/12/N) = 0.00091; 5 SE = 0.0046.
        Assert.InRange(sum / N, 0.5 - 0.0046, 0.5 + 0.0046);
    }
}
