namespace SeasonalGrains.Forecasting.Outlook;

/// <summary>
/// Counter-based random numbers: every draw is a hash of (key, stream, index), so a value does not
/// depend on how many others were drawn before it or in what order. This is what makes the sample
/// paths of an outlook common random numbers: the same SKU, origin and seed give the same draws
/// whichever policy, grain or thread asks first.
/// </summary>
public static class CounterRandom
{
    private const ulong Golden = 0x9E3779B97F4A7C15UL;

    /// <summary>The SplitMix64 finaliser: a bijective mix of 64 bits.</summary>
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A key combining a seed with further parts (order matters).</summary>
    public static ulong Key(ulong seed, params ReadOnlySpan<ulong> parts)
    {
        var k = Mix(seed + Golden);
        foreach (var part in parts)
        {
            k = Mix(k ^ Mix(part + Golden));
        }

        return k;
    }

    /// <summary>A stable 64-bit hash of a string (FNV-1a over its UTF-16 code units, then mixed).</summary>
    public static ulong Hash(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var h = 0xCBF29CE484222325UL;
        foreach (var c in text)
        {
            h = (h ^ c) * 0x100000001B3UL;
        }

        return Mix(h);
    }

    /// <summary>Uniform on (0, 1), never 0 or 1: draw <paramref name="index"/> of stream <paramref name="key"/>.</summary>
    public static double Uniform(ulong key, ulong index) => ((Mix(key + ((index + 1) * Golden)) >> 11) + 0.5) * (1.0 / (1UL << 53));

    /// <summary>
    /// Fills <paramref name="target"/> with a random permutation of 0..n-1 (Fisher-Yates), drawn from
    /// stream <paramref name="key"/>.
    /// </summary>
    public static void FillPermutation(ulong key, Span<int> target)
    {
        for (var i = 0; i < target.Length; i++)
        {
            target[i] = i;
        }

        for (var i = target.Length - 1; i > 0; i--)
        {
            // multiply-shift maps 32 random bits onto 0..i
            var j = (int)(((Mix(key + (((ulong)i + 1) * Golden)) >> 32) * (ulong)(i + 1)) >> 32);
            (target[i], target[j]) = (target[j], target[i]);
        }
    }
}
