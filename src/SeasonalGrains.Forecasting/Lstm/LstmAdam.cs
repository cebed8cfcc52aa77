using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SeasonalGrains.Forecasting.Lstm;

/// <summary>
/// Adam (Kingma and Ba 2015) without weight decay, computed as <c>torch.optim.Adam</c> computes it, operation for
/// operation, so the weights are the same bits: m = beta1 m + (1 - beta1) g; v = beta2 v + (1 - beta2) g^2;
/// p -= lr / (1 - beta1^t) x m / (sqrt(v) / sqrt(1 - beta2^t) + eps). Written here because TorchSharp's Adam passes
/// its coefficients and step sizes to libtorch as temporary Scalars (see <see cref="HeldScalars"/>); here they are
/// held until each call returns.
/// </summary>
internal sealed class LstmAdam : IDisposable
{
    private const double Beta1 = 0.9;
    private const double Beta2 = 0.999;
    private const double Epsilon = 1e-8;

    private readonly Parameter[] _parameters;
    private readonly Tensor[] _firstMoments;
    private readonly Tensor[] _secondMoments;
    private readonly Scalar _beta1 = Beta1.ToScalar();
    private readonly Scalar _beta1Complement = (1 - Beta1).ToScalar();
    private readonly Scalar _beta2 = Beta2.ToScalar();
    private readonly Scalar _beta2Complement = (1 - Beta2).ToScalar();
    private readonly Scalar _epsilon = Epsilon.ToScalar();
    private long _steps;

    public LstmAdam(IEnumerable<Parameter> parameters, double learningRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(learningRate);
        _parameters = [.. parameters];
        _firstMoments = [.. _parameters.Select(p => zeros_like(p).DetachFromDisposeScope())];
        _secondMoments = [.. _parameters.Select(p => zeros_like(p).DetachFromDisposeScope())];
        LearningRate = learningRate;
    }

    /// <summary>The learning rate of the next steps (a plateau lowers it).</summary>
    public double LearningRate { get; set; }

    /// <summary>Sets every gradient to zero (the parameters that have one).</summary>
    public void ZeroGrad()
    {
        foreach (var p in _parameters)
        {
            using var grad = p.grad;
            grad?.zero_();
        }
    }

    /// <summary>One update of every parameter that has a gradient.</summary>
    public void Step()
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        _steps++;
        var firstCorrection = 1 - Math.Pow(Beta1, _steps);
        var secondCorrection = 1 - Math.Pow(Beta2, _steps);
        using var secondRoot = Math.Sqrt(secondCorrection).ToScalar();
        using var stepSize = (0.0 - (LearningRate / firstCorrection)).ToScalar();
        for (var i = 0; i < _parameters.Length; i++)
        {
            var grad = _parameters[i].grad;
            if (grad is null)
            {
                continue;
            }

            _firstMoments[i].mul_(_beta1).add_(grad, _beta1Complement);
            _secondMoments[i].mul_(_beta2).addcmul_(grad, grad, _beta2Complement);
            var denominator = _secondMoments[i].sqrt().div(secondRoot).add_(_epsilon, HeldScalars.One);
            _parameters[i].addcdiv_(_firstMoments[i], denominator, stepSize);
        }
    }

    public void Dispose()
    {
        foreach (var t in _firstMoments.Concat(_secondMoments))
        {
            t.Dispose();
        }

        foreach (var s in new[] { _beta1, _beta1Complement, _beta2, _beta2Complement, _epsilon })
        {
            s.Dispose();
        }
    }
}
