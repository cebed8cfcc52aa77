using SeasonalGrains.Forecasting.Lstm;

namespace SeasonalGrains.Forecasting.Tests;

public sealed class InferencePrecisionsTests
{
    [Theory]
    [InlineData("flags\t\t: fpu sse2 avx2 fma f16c", false)]
    [InlineData("flags\t\t: fpu avx2 avx512f avx512bw avx512_vnni", false)]
    [InlineData("flags\t\t: fpu avx2 avx512f avx512_bf16 avx512_fp16", true)]
    [InlineData("flags\t\t: fpu avx2 amx_bf16 amx_tile", true)]
    [InlineData("flags\t\t: avx512_bf16x", false)]
    public void Native_bfloat16_is_read_from_the_processor_flags(string line, bool expected) =>
        Assert.Equal(expected, InferencePrecisions.FlagsHaveBFloat16(line));

    [Fact]
    public void Names_parse_to_their_precision_and_auto_to_the_fastest()
    {
        Assert.Equal(InferencePrecision.Float32, InferencePrecisions.Parse("float32"));
        Assert.Equal(InferencePrecision.BFloat16, InferencePrecisions.Parse("bfloat16"));
        Assert.Equal(InferencePrecisions.HasNativeBFloat16 ? InferencePrecision.BFloat16 : InferencePrecision.Float32, InferencePrecisions.Parse("auto"));
        Assert.Equal("bfloat16", InferencePrecisions.Name(InferencePrecision.BFloat16));
        var error = Assert.Throws<ArgumentException>(() => InferencePrecisions.Parse("fp16"));
        Assert.Contains("auto, float32, bfloat16", error.Message, StringComparison.Ordinal);
    }
}
