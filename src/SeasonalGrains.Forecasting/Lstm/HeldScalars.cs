using System.Reflection;
using TorchSharp;
using static TorchSharp.torch;

namespace SeasonalGrains.Forecasting.Lstm;

/// <summary>
/// Numbers handed to libtorch as <see cref="Scalar"/>s that stay reachable until libtorch has read them.
/// <para>
/// A TorchSharp <see cref="Scalar"/> owns a native c10::Scalar and frees it in its finalizer. TorchSharp 0.107's
/// overloads that take a .NET number (<c>tensor * 0.5</c>, <c>tensor - 1</c>, <c>softplus(x)</c>, <c>arange(n)</c>,
/// every step of its <c>Adam</c>) or fill in a default (<c>a + b</c> and <c>add_(x)</c> pass alpha = 1) convert it
/// to a temporary Scalar, read its native handle and call libtorch:
/// from then on nothing references the Scalar, so a garbage collection during the call may finalize it and free the
/// c10::Scalar while libtorch still reads it. Training then fails now and then with
/// "Exception raised from toFloat at c10/core/Scalar.h" (a freed Scalar's tag), more often when other threads
/// allocate. Everything the LSTM calls with a number per step goes through Scalars that are held: the constants
/// here live as long as the process, and per-step values (the Adam step size) are disposed by a <c>using</c> after
/// the call returns.
/// </para>
/// </summary>
internal static class HeldScalars
{
    /// <summary>The integer 0 (an arange's start).</summary>
    public static readonly Scalar Zero = 0.ToScalar();

    /// <summary>The integer 1 (an arange's step, a clamp's floor).</summary>
    public static readonly Scalar One = 1.ToScalar();

    /// <summary>The integer 2 (a square's exponent).</summary>
    public static readonly Scalar Two = 2.ToScalar();

    private static readonly Scalar SoftplusBeta = 1.0.ToScalar();
    private static readonly Scalar SoftplusThreshold = 20.0.ToScalar();

    // Tensor.softplus(double, double) converts both to temporary Scalars and passes them on to this private overload;
    // called directly with the held ones it computes the same.
    private static readonly Func<Tensor, Scalar, Scalar, Tensor> SoftplusOf =
        typeof(Tensor).GetMethod("softplus1", BindingFlags.Instance | BindingFlags.NonPublic, [typeof(Scalar), typeof(Scalar)])
            ?.CreateDelegate<Func<Tensor, Scalar, Scalar, Tensor>>()
        ?? throw new InvalidOperationException(
            "This TorchSharp has no Tensor.softplus1(Scalar, Scalar): the LSTM is built against TorchSharp 0.107, whose softplus(double, double) passes temporary Scalars to it.");

    /// <summary>softplus(x) = log(1 + e^x) (x itself above 20), as <c>nn.functional.softplus(x)</c> computes it.</summary>
    public static Tensor Softplus(Tensor x) => SoftplusOf(x, SoftplusBeta, SoftplusThreshold);

    /// <summary>0, 1, ..., <paramref name="count"/> - 1 as int64, as <c>arange(count, ScalarType.Int64)</c> gives them.</summary>
    public static Tensor Range(long count, Device device)
    {
        using var stop = count.ToScalar();
        return arange(Zero, stop, One, ScalarType.Int64, device);
    }
}
