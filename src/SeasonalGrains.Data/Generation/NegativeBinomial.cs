namespace SeasonalGrains.Data.Generation;

/// <summary>
/// The negative binomial distribution in the (mean μ, size r) form: P(k) = Γ(k+r)/(Γ(r) k!) p^r (1-p)^k
/// with p = r/(r+μ), so the variance is μ + μ²/r. An infinite size is the Poisson limit.
/// </summary>
public static class NegativeBinomial
{
    public static double Variance(double mean, double size) =>
        double.IsPositiveInfinity(size) ? mean : mean + (mean * mean / size);

    /// <summary>P(X = k).</summary>
    public static double Pmf(long k, double mean, double size) => k < 0 ? 0 : Math.Exp(LogPmf(k, mean, size));

    /// <summary>ln P(X = k) for k ≥ 0.</summary>
    public static double LogPmf(long k, double mean, double size)
    {
        Check(mean, size);
        if (mean == 0)
        {
            return k == 0 ? 0 : double.NegativeInfinity;
        }

        if (double.IsPositiveInfinity(size))
        {
            return (k * Math.Log(mean)) - mean - SpecialFunctions.LogGamma(k + 1.0);
        }

        var logP = -SpecialFunctions.Log1P(mean / size);       // ln(r / (r + μ))
        var logQ = Math.Log(mean / (size + mean)); // ln(μ / (r + μ))
        return SpecialFunctions.LogGamma(k + size) - SpecialFunctions.LogGamma(size) - SpecialFunctions.LogGamma(k + 1.0)
            + (size * logP) + (k * logQ);
    }

    /// <summary>P(X ≤ k), summed exactly term by term.</summary>
    public static double Cdf(long k, double mean, double size)
    {
        Check(mean, size);
        if (k < 0)
        {
            return 0;
        }

        var walker = new Walker(mean, size);
        while (walker.K < k)
        {
            walker.Step();
        }

        return Math.Min(1.0, walker.Cdf);
    }

    /// <summary>
    /// Exact quantiles: for each level α (ascending, in (0, 1)) the smallest k with P(X ≤ k) ≥ α.
    /// One walk along the distribution serves all levels.
    /// </summary>
    public static void Quantiles(double mean, double size, ReadOnlySpan<double> levels, Span<double> result)
    {
        Check(mean, size);
        if (result.Length < levels.Length)
        {
            throw new ArgumentException("result is shorter than levels", nameof(result));
        }

        if (mean == 0)
        {
            result[..levels.Length].Clear();
            return;
        }

        var walker = new Walker(mean, size);
        var limit = (long)Math.Ceiling(mean + (60 * Math.Sqrt(Variance(mean, size)))) + 100;
        for (var i = 0; i < levels.Length; i++)
        {
            var level = levels[i];
            if (i > 0 && level < levels[i - 1])
            {
                throw new ArgumentException("levels must be ascending", nameof(levels));
            }

            // The limit guards against a level the rounded running sum can never reach (about 1 - 1e-15).
            while (walker.Cdf < level && walker.K < limit)
            {
                walker.Step();
            }

            result[i] = walker.K;
        }
    }

    private static void Check(double mean, double size)
    {
        if (!(mean >= 0) || double.IsInfinity(mean))
        {
            throw new ArgumentOutOfRangeException(nameof(mean), mean, "mean must be finite and non-negative");
        }

        if (!(size > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, "size must be positive");
        }
    }

    /// <summary>Steps k = k0, k0+1, ... carrying P(X = k) and P(X ≤ k) by the ratio P(k+1)/P(k).</summary>
    private struct Walker
    {
        private readonly double _size;
        private readonly double _q;
        private readonly bool _poisson;
        private readonly double _mean;
        private double _pmf;

        public Walker(double mean, double size)
        {
            _mean = mean;
            _size = size;
            _poisson = double.IsPositiveInfinity(size);
            _q = _poisson ? 0 : mean / (size + mean);
            var logPmf0 = _poisson ? -mean : -size * SpecialFunctions.Log1P(mean / size);
            K = 0;
            if (logPmf0 > -700)
            {
                _pmf = Math.Exp(logPmf0);
            }
            else
            {
                // P(0) underflows: start far in the left tail, where the neglected mass is below 1e-300.
                var sd = Math.Sqrt(Variance(mean, size));
                K = Math.Max(0, (long)Math.Floor(mean - (38 * sd)));
                _pmf = Math.Exp(LogPmf(K, mean, size));
            }

            Cdf = _pmf;
        }

        public long K { get; private set; }

        public double Cdf { get; private set; }

        public void Step()
        {
            var k = K;
            _pmf *= _poisson ? _mean / (k + 1) : (k + _size) / (k + 1) * _q;
            K = k + 1;
            Cdf += _pmf;
        }
    }
}
