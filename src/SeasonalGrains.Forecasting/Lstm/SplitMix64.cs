namespace SeasonalGrains.Forecasting.Lstm;

/// <summary>SplitMix64 (Steele, Lea and Flood 2014): a small seeded generator with a fixed, documented sequence.</summary>
internal sealed class SplitMix64(ulong seed)
{
    private ulong _state = seed;

    public ulong Next()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform integer in [0, bound) (Lemire's multiply-shift; bias below 2^-32 for bounds under 2^32).</summary>
    public long NextBelow(long bound)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bound, 1);
        return (long)Math.BigMul(Next(), (ulong)bound, out _);
    }
}
