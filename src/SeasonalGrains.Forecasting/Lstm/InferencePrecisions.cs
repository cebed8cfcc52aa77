namespace SeasonalGrains.Forecasting.Lstm;

/// <summary>
/// The names of <see cref="InferencePrecision"/> as commands and scenario files write them, and <c>auto</c>: bfloat16
/// where the processor multiplies bfloat16 natively (AVX-512 BF16 or AMX), float32 elsewhere. Without those
/// instructions libtorch emulates bfloat16 and runs slower than float32: on a 2-core AVX2 machine a daily LSTM
/// replay ran at a quarter of its float32 speed (docs/performance.md).
/// </summary>
public static class InferencePrecisions
{
    public const string Auto = "auto";
    public const string Float32 = "float32";
    public const string BFloat16 = "bfloat16";

    /// <summary>The names a precision option accepts.</summary>
    public static string[] Names { get; } = [Auto, Float32, BFloat16];

    /// <summary>Whether this processor reports native bfloat16 products (Linux: the avx512_bf16 or amx_bf16 flag).</summary>
    public static bool HasNativeBFloat16 { get; } = Detect();

    /// <summary>bfloat16 with native support, else float32.</summary>
    public static InferencePrecision Fastest => HasNativeBFloat16 ? InferencePrecision.BFloat16 : InferencePrecision.Float32;

    /// <summary>The precision a name stands for (<c>auto</c>: <see cref="Fastest"/>).</summary>
    public static InferencePrecision Parse(string name) => name switch
    {
        Auto => Fastest,
        Float32 => InferencePrecision.Float32,
        BFloat16 => InferencePrecision.BFloat16,
        _ => throw new ArgumentException($"Unknown precision '{name}'; use one of {string.Join(", ", Names)}.", nameof(name)),
    };

    public static string Name(InferencePrecision precision) => precision == InferencePrecision.BFloat16 ? BFloat16 : Float32;

    /// <summary>Whether a /proc/cpuinfo "flags" line names a native bfloat16 instruction set.</summary>
    public static bool FlagsHaveBFloat16(string flagsLine)
    {
        var colon = flagsLine.IndexOf(':', StringComparison.Ordinal);
        var flags = flagsLine[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return flags.Contains("avx512_bf16", StringComparer.Ordinal) || flags.Contains("amx_bf16", StringComparer.Ordinal);
    }

    private static bool Detect()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            foreach (var line in File.ReadLines("/proc/cpuinfo"))
            {
                if (line.StartsWith("flags", StringComparison.Ordinal))
                {
                    return FlagsHaveBFloat16(line);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // no flags to read: float32 is always correct
        }

        return false;
    }
}
