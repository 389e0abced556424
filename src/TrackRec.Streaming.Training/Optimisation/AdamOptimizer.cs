using TorchSharp;
using TorchSharp.Modules;
using TrackRec.Streaming.Training.Mlp;
using static TorchSharp.torch;

namespace TrackRec.Streaming.Training.Optimisation;

/// <summary>
/// Adam (torch's defaults: betas 0.9 / 0.999, eps 1e-8, L2 weight decay added to the gradient), computing
/// exactly what TorchSharp's <c>optim.Adam</c> computes, op for op, so a seed gives the same weights with either.
/// Why not TorchSharp's: its step passes doubles as implicitly created <see cref="Scalar"/>s, whose native
/// handles their finalizers free. Once the handle has been read, nothing keeps such a Scalar alive during the
/// native call, so a collection on another thread can free it mid-step. A full MovieLens eval (three seeds
/// training at once, 24 GB resident) died in <c>Adam.step</c> on exactly that ("toFloat: Expected false to be
/// true"). Here every Scalar is created explicitly and disposed only after the calls that read it.
/// </summary>
public sealed class AdamOptimizer : IDisposable
{
    private const double Beta1 = 0.9;
    private const double Beta2 = 0.999;
    private const double Epsilon = 1e-8;

    private readonly Parameter[] _parameters;
    private readonly Tensor[] _averages;
    private readonly Tensor[] _squares;
    private readonly long[] _steps;
    private readonly double _learningRate;
    private readonly double _weightDecay;
    private readonly Scalar _beta1 = Beta1.ToScalar();
    private readonly Scalar _beta2 = Beta2.ToScalar();
    private readonly Scalar _gradientShare = (1 - Beta1).ToScalar();
    private readonly Scalar _squareShare = (1 - Beta2).ToScalar();
    private readonly Scalar _epsilon = Epsilon.ToScalar();
    private readonly Scalar _decay;

    /// <summary>Optimises <paramref name="parameters"/> at <paramref name="learningRate"/>, with L2 <paramref name="weightDecay"/>.</summary>
    public AdamOptimizer(IEnumerable<Parameter> parameters, double learningRate, double weightDecay = 0)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(learningRate);
        ArgumentOutOfRangeException.ThrowIfNegative(weightDecay);
        _parameters = [.. parameters];
        _learningRate = learningRate;
        _weightDecay = weightDecay;
        _decay = weightDecay.ToScalar();
        using (no_grad())
        {
            _averages = [.. _parameters.Select(p => zeros_like(p).DetachFromDisposeScope())];
            _squares = [.. _parameters.Select(p => zeros_like(p).DetachFromDisposeScope())];
        }
        _steps = new long[_parameters.Length];
    }

    /// <summary>Sets every gradient to zero (the gradients stay allocated, as torch's zero_grad(set_to_none=False)).</summary>
    public void zero_grad()
    {
        foreach (var parameter in _parameters)
        {
            using var grad = parameter.grad;
            grad?.zero_();
        }
    }

    /// <summary>One update of every parameter that has a gradient.</summary>
    public void step()
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        for (var i = 0; i < _parameters.Length; i++)
        {
            var parameter = _parameters[i];
            var grad = parameter.grad;
            if (grad is null)
                continue;
            var step = ++_steps[i];
            var correction1 = 1 - Math.Pow(Beta1, step);
            var correction2 = 1 - Math.Pow(Beta2, step);
            if (_weightDecay != 0)
                grad = grad.add(parameter, alpha: _decay);
            _averages[i].mul_(_beta1).add_(grad, alpha: _gradientShare);
            _squares[i].mul_(_beta2).addcmul_(grad, grad.conj(), value: _squareShare);
            using var root = Math.Sqrt(correction2).ToScalar();
            using var stepSize = (-(_learningRate / correction1)).ToScalar();
            var denominator = _squares[i].sqrt().div(root).add_(_epsilon, TorchScalars.OneInt);
            parameter.addcdiv_(_averages[i], denominator, value: stepSize);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var t in _averages.Concat(_squares))
            t.Dispose();
        foreach (var s in new[] { _beta1, _beta2, _gradientShare, _squareShare, _epsilon, _decay })
            s.Dispose();
    }
}
