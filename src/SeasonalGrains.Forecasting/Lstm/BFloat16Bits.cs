using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SeasonalGrains.Forecasting.Lstm;

/// <summary>
/// Conversions between float32 and bfloat16 (the upper 16 bits of a float32), rounding to nearest, ties to even,
/// as libtorch converts: <see cref="LstmModel"/> writes its bfloat16 inputs straight into the tensors instead of
/// writing float32 tensors and converting them. NaN inputs are not expected (features and states are finite).
/// </summary>
internal static class BFloat16Bits
{
    /// <summary>Rounds each float of <paramref name="source"/> into <paramref name="destination"/> (same length).</summary>
    public static void From(ReadOnlySpan<float> source, Span<ushort> destination)
    {
        CheckRoom(source, destination, "floats need as many bfloat16 slots");
        var bits = MemoryMarshal.Cast<float, uint>(source);
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var half = Vector256.Create(0x7FFFu);
            var one = Vector256.Create(1u);
            for (; i <= bits.Length - 16; i += 16)
            {
                var low = Vector256.Create(bits.Slice(i, 8));
                var high = Vector256.Create(bits.Slice(i + 8, 8));
                low = (low + half + ((low >> 16) & one)) >> 16;
                high = (high + half + ((high >> 16) & one)) >> 16;
                Vector256.Narrow(low, high).CopyTo(destination.Slice(i, 16));
            }
        }

        for (; i < bits.Length; i++)
        {
            destination[i] = Round(bits[i]);
        }
    }

    /// <summary>Widens each bfloat16 of <paramref name="source"/> to a float (exact).</summary>
    public static void To(ReadOnlySpan<ushort> source, Span<float> destination)
    {
        CheckRoom(source, destination, "bfloat16 values need as many floats");
        var bits = MemoryMarshal.Cast<float, uint>(destination);
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= source.Length - 16; i += 16)
            {
                var (low, high) = Vector256.Widen(Vector256.Create(source.Slice(i, 16)));
                (low << 16).CopyTo(bits.Slice(i, 8));
                (high << 16).CopyTo(bits.Slice(i + 8, 8));
            }
        }

        for (; i < source.Length; i++)
        {
            bits[i] = (uint)source[i] << 16;
        }
    }

    /// <summary>The bfloat16 nearest to the float with <paramref name="bits"/> (ties to even).</summary>
    public static ushort Round(uint bits) => (ushort)((bits + 0x7FFFu + ((bits >> 16) & 1u)) >> 16);

    /// <summary>Throws unless <paramref name="destination"/> has a slot for every value of <paramref name="source"/>.</summary>
    private static void CheckRoom<TSource, TDestination>(ReadOnlySpan<TSource> source, Span<TDestination> destination, string need)
    {
        if (destination.Length < source.Length)
        {
            throw new ArgumentException($"{source.Length} {need}, got {destination.Length}.", nameof(destination));
        }
    }
}
