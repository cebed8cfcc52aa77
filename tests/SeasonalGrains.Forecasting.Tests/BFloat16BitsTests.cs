using System.Runtime.InteropServices;
using SeasonalGrains.Forecasting.Lstm;
using TorchSharp;

namespace SeasonalGrains.Forecasting.Tests;

public sealed class BFloat16BitsTests
{
    [Theory]
    [InlineData(1.0f, 0x3F80)] // exact
    [InlineData(1.00390625f, 0x3F80)] // 1 + 2^-8: halfway between 0x3F80 and 0x3F81, ties to the even one
    [InlineData(1.01171875f, 0x3F82)] // 1 + 3 x 2^-8: halfway between 0x3F81 and 0x3F82, ties to the even one
    [InlineData(1.0078125f, 0x3F81)] // 1 + 2^-7: exact
    [InlineData(3.14159274f, 0x4049)] // pi = 0x40490FDB rounds down to 3.140625
    [InlineData(-2.0f, 0xC000)]
    [InlineData(0.0f, 0x0000)]
    public void Floats_round_to_the_nearest_bfloat16_ties_to_even(float value, int expected)
    {
        var destination = new ushort[1];
        BFloat16Bits.From([value], destination);
        Assert.Equal(expected, destination[0]);
    }

    [Fact]
    public void Conversions_match_libtorch_on_the_vector_path_and_the_tail()
    {
        TorchRuntime.EnsureInitialized();
        var random = new Random(3);
        var values = new float[1003]; // 62 vectors of 16 and a tail of 11
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (float)((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-6, 7)));
        }

        values[5] = 1.00390625f;
        values[1000] = 1.01171875f;
        var ours = new ushort[values.Length];
        BFloat16Bits.From(values, ours);

        using var tensor = torch.tensor(values).to(torch.ScalarType.BFloat16);
        var libtorch = MemoryMarshal.Cast<byte, ushort>(tensor.bytes).ToArray();
        Assert.Equal(libtorch, ours);

        var back = new float[values.Length];
        BFloat16Bits.To(ours, back);
        using var widened = tensor.to(torch.ScalarType.Float32);
        Assert.Equal(MemoryMarshal.Cast<byte, float>(widened.bytes).ToArray(), back);
    }
}
