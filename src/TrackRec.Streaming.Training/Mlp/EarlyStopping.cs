using static TorchSharp.torch;

namespace TrackRec.Streaming.Training.Mlp;

/// <summary>
/// Early stopping on a validation loss with the best epoch's weights kept, for the project's trainers: each
/// epoch reports its loss (or none, when there is no validation split); a loss lower than the best by more
/// than <c>minImprovement</c> snapshots the weights; <c>patience</c> epochs without one, or a NaN loss,
/// stops training; <see cref="RestoreBest"/> puts the best weights back.
/// </summary>
internal sealed class EarlyStopping(int patience, double minImprovement) : IDisposable
{
    private double _best = double.PositiveInfinity;
    private List<Tensor>? _snapshot;

    /// <summary>The epoch whose weights are kept (the last one seen when there is no validation loss).</summary>
    public int BestEpoch { get; private set; }

    /// <summary>Records <paramref name="epoch"/>'s validation loss; false when training should stop.</summary>
    public bool Continue(nn.Module model, int epoch, double? validationLoss)
    {
        if (validationLoss is not { } loss)
        {
            BestEpoch = epoch;
            return true;
        }
        if (loss < _best - minImprovement)
        {
            _best = loss;
            BestEpoch = epoch;
            Release();
            _snapshot = model.parameters().Select(Snapshot).ToList();
            return true;
        }
        return epoch - BestEpoch < patience && !double.IsNaN(loss);
    }

    // detach() makes a tensor of its own; disposed here rather than by its finalizer, which libtorch can
    // race with clone() (see TorchScalars for the same hazard with Scalars).
    private static Tensor Snapshot(Tensor parameter)
    {
        using var detached = parameter.detach();
        return detached.clone().DetachFromDisposeScope();
    }

    /// <summary>Copies the best epoch's weights back into <paramref name="model"/> (nothing when none was snapshotted).</summary>
    public void RestoreBest(nn.Module model)
    {
        if (_snapshot is null)
            return;
        using var noGrad = no_grad();
        foreach (var (parameter, saved) in model.parameters().Zip(_snapshot))
            parameter.copy_(saved);
    }

    public void Dispose() => Release();

    private void Release()
    {
        if (_snapshot is null)
            return;
        foreach (var t in _snapshot)
            t.Dispose();
        _snapshot = null;
    }
}
