namespace SeasonalGrains.Data.Generation;

/// <summary>
/// xoshiro256** (Blackman and Vigna, 2018) seeded through SplitMix64, with the samplers the season
/// generator needs. Its own implementation, so a seed gives the same sequence on every .NET version
/// (System.Random's seeded sequence is not guaranteed to stay the same).
/// </summary>
public sealed class Xoshiro256StarStar
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;
    private double _spareNormal;
    private bool _hasSpare;

    public Xoshiro256StarStar(ulong seed)
        : this(seed, 0)
    {
    }

    /// <summary>An independent stream per (<paramref name="seed"/>, <paramref name="stream"/>) pair.</summary>
    public Xoshiro256StarStar(ulong seed, ulong stream)
    {
        var x = SplitMix64(seed) ^ SplitMix64(stream + 0x632BE59BD9B4E019UL);
        _s0 = Next(ref x);
        _s1 = Next(ref x);
        _s2 = Next(ref x);
        _s3 = Next(ref x);

        static ulong Next(ref ulong state)
        {
            state += 0x9E3779B97F4A7C15UL;
            return SplitMix64(state);
        }
    }

    /// <summary>The SplitMix64 output function (Steele, Lea and Flood, 2014).</summary>
    public static ulong SplitMix64(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public ulong NextULong()
    {
        var result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextULong() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in (0, 1): never exactly 0 or 1, safe for logarithms.</summary>
    public double NextOpenDouble() => ((NextULong() >> 11) + 0.5) * (1.0 / (1UL << 53));

    /// <summary>Uniform integer in [0, <paramref name="maxExclusive"/>).</summary>
    public int NextInt(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxExclusive);
        return (int)(((NextULong() >> 32) * (ulong)maxExclusive) >> 32);
    }

    /// <summary>Uniform integer in [<paramref name="min"/>, <paramref name="max"/>] inclusive.</summary>
    public int NextInt(int min, int max) => min + NextInt(max - min + 1);

    public double NextUniform(double min, double max) => min + ((max - min) * NextDouble());

    public bool NextBool(double probability) => NextDouble() < probability;

    /// <summary>Standard normal by Marsaglia's polar method.</summary>
    public double NextNormal()
    {
        if (_hasSpare)
        {
            _hasSpare = false;
            return _spareNormal;
        }

        double u, v, s;
        do
        {
            u = (2 * NextDouble()) - 1;
            v = (2 * NextDouble()) - 1;
            s = (u * u) + (v * v);
        }
        while (s >= 1 || s == 0);

        var f = Math.Sqrt(-2 * Math.Log(s) / s);
        _spareNormal = v * f;
        _hasSpare = true;
        return u * f;
    }

    /// <summary>Gamma(shape, scale) by Marsaglia and Tsang (2000); shape &lt; 1 via the U^(1/shape) boost.</summary>
    public double NextGamma(double shape, double scale = 1.0)
    {
        if (!(shape > 0) || !(scale > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(shape), "gamma shape and scale must be positive");
        }

        if (shape < 1)
        {
            return NextGamma(shape + 1, scale) * Math.Pow(NextOpenDouble(), 1 / shape);
        }

        var d = shape - (1.0 / 3.0);
        var c = 1 / Math.Sqrt(9 * d);
        while (true)
        {
            double x, v;
            do
            {
                x = NextNormal();
                v = 1 + (c * x);
            }
            while (v <= 0);

            v = v * v * v;
            var u = NextOpenDouble();
            var x2 = x * x;
            if (u < 1 - (0.0331 * x2 * x2) || Math.Log(u) < (0.5 * x2) + (d * (1 - v + Math.Log(v))))
            {
                return d * v * scale;
            }
        }
    }

    /// <summary>
    /// Poisson(<paramref name="mean"/>): inversion by sequential search below 10, else Hörmann's (1993)
    /// transformed rejection with squeeze (PTRS), whose cost does not grow with the mean.
    /// </summary>
    public long NextPoisson(double mean)
    {
        if (!(mean >= 0) || double.IsInfinity(mean))
        {
            throw new ArgumentOutOfRangeException(nameof(mean), mean, "Poisson mean must be finite and non-negative");
        }

        if (mean == 0)
        {
            return 0;
        }

        if (mean < 10)
        {
            var p = Math.Exp(-mean);
            var cdf = p;
            var u = NextDouble();
            long k = 0;
            while (u > cdf && k < 1000)
            {
                k++;
                p *= mean / k;
                cdf += p;
            }

            return k;
        }

        var sqrtMean = Math.Sqrt(mean);
        var logMean = Math.Log(mean);
        var b = 0.931 + (2.53 * sqrtMean);
        var a = -0.059 + (0.02483 * b);
        var invAlpha = 1.1239 + (1.1328 / (b - 3.4));
        var vr = 0.9277 - (3.6224 / (b - 2));
        while (true)
        {
            var u = NextDouble() - 0.5;
            var v = NextOpenDouble();
            var us = 0.5 - Math.Abs(u);
            var k = Math.Floor((((2 * a / us) + b) * u) + mean + 0.43);
            if (us >= 0.07 && v <= vr)
            {
                return (long)k;
            }

            if (k < 0 || (us < 0.013 && v > us))
            {
                continue;
            }

            var lhs = Math.Log(v) + Math.Log(invAlpha) - Math.Log((a / (us * us)) + b);
            var rhs = -mean + (k * logMean) - SpecialFunctions.LogGamma(k + 1);
            if (lhs <= rhs)
            {
                return (long)k;
            }
        }
    }

    /// <summary>
    /// Negative binomial with the given <paramref name="mean"/> and <paramref name="size"/> (variance
    /// mean + mean²/size) as a gamma-Poisson mixture; an infinite size is Poisson.
    /// </summary>
    public long NextNegativeBinomial(double mean, double size)
    {
        if (mean <= 0)
        {
            return 0;
        }

        if (double.IsPositiveInfinity(size))
        {
            return NextPoisson(mean);
        }

        return NextPoisson(NextGamma(size, mean / size));
    }
}
