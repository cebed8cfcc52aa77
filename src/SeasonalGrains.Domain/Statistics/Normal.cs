namespace SeasonalGrains.Domain.Statistics;

/// <summary>The standard normal distribution, to near double precision.</summary>
public static class Normal
{
    private static readonly double InvSqrt2Pi = 1 / Math.Sqrt(2 * Math.PI);
    private static readonly double InvSqrtPi = 1 / Math.Sqrt(Math.PI);

    public static double Pdf(double z) => InvSqrt2Pi * Math.Exp(-0.5 * z * z);

    public static double Cdf(double z) => 0.5 * Erfc(-z / Math.Sqrt(2));

    /// <summary>Standard normal loss function L(z) = E[(Z - z)+] = pdf(z) - z (1 - cdf(z)).</summary>
    public static double Loss(double z) => Pdf(z) - (z * (1 - Cdf(z)));

    private const int Sets = 1 << 16;

    // Policies and outlooks ask for the same levels (a few, and one critical ratio per SKU) millions of times in a
    // replay: answers are kept in a two-way set-associative table of 65,536 sets, one immutable pair per slot, so
    // a reader on any thread sees a whole pair or none. A new answer takes the first slot of its set and moves
    // the one there to the second; with 10,000 SKUs' levels, three sharing a set (and so solved again and again)
    // are rare.
    private static readonly Solved?[] Table = new Solved?[2 * Sets];

    /// <summary>
    /// The quantile function: Newton steps on the CDF, safeguarded by bisection. Recent answers are kept (131,072
    /// slots), so repeated levels cost a lookup.
    /// </summary>
    public static double InverseCdf(double p)
    {
        if (double.IsNaN(p) || p <= 0 || p >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "A probability strictly between 0 and 1 is required.");
        }

        var bits = (ulong)BitConverter.DoubleToInt64Bits(p);
        var first = 2 * (int)((bits * 0x9E3779B97F4A7C15UL) >> 48); // Fibonacci hashing onto 16 bits
        var recent = Volatile.Read(ref Table[first]);
        if (recent is not null && recent.P == p)
        {
            return recent.X;
        }

        if (Volatile.Read(ref Table[first + 1]) is { } older && older.P == p)
        {
            return older.X;
        }

        var x = Solve(p);
        if (recent is not null)
        {
            Volatile.Write(ref Table[first + 1], recent);
        }

        Volatile.Write(ref Table[first], new Solved(p, x));
        return x;
    }

    private sealed record Solved(double P, double X);

    private static double Solve(double p)
    {
        double lo = -40, hi = 40, x = 0;
        for (var i = 0; i < 200; i++)
        {
            var f = Cdf(x) - p;
            if (f == 0)
            {
                return x;
            }

            if (f < 0)
            {
                lo = x;
            }
            else
            {
                hi = x;
            }

            var next = x - (f / Pdf(x));
            if (!(next > lo && next < hi))
            {
                next = 0.5 * (lo + hi);
            }

            if (Math.Abs(next - x) < 1e-13 * Math.Max(1, Math.Abs(x)))
            {
                return next;
            }

            x = next;
        }

        return x;
    }

    /// <summary>
    /// Complementary error function: the Maclaurin series of erf for |x| &lt; 3 and the
    /// Laplace continued fraction of erfc beyond (relative error near 1e-14).
    /// </summary>
    public static double Erfc(double x)
    {
        if (double.IsNaN(x))
        {
            return double.NaN;
        }

        if (Math.Abs(x) < 3)
        {
            // erf(x) = 2/sqrt(pi) * sum_n (-1)^n x^(2n+1) / (n! (2n+1))
            var x2 = x * x;
            double term = x, sum = x;
            for (var n = 1; n < 200; n++)
            {
                term *= -x2 / n;
                var add = term / ((2 * n) + 1);
                sum += add;
                if (Math.Abs(add) < 1e-17 * Math.Abs(sum))
                {
                    break;
                }
            }

            return 1 - (2 * InvSqrtPi * sum);
        }

        if (x < 0)
        {
            return 2 - Erfc(-x);
        }

        // erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + ...))))),
        // evaluated from the tail with a fixed depth ample for x >= 3.
        var frac = x;
        for (var k = 60; k >= 1; k--)
        {
            frac = x + ((k / 2.0) / frac);
        }

        return Math.Exp(-x * x) * InvSqrtPi / frac;
    }
}
