using TorchSharp;

namespace TrackRec.Streaming.Training.Tests.Reproducibility;

/// <summary>
/// Counts the tensors a piece of training code leaves behind on the calling thread. A tensor nobody disposes
/// is freed by its finalizer, on another thread and at any moment, including while libtorch still reads it
/// through a call made on an expression like <c>a.detach().clone()</c>: that race is what killed a MIND eval
/// with SIGSEGV. Code that returns plain arrays must leave 0 (TorchSharp counts per thread, and a finalizer's
/// disposal lands on the finalizer thread, so a leak shows here whether or not a collection ran).
/// </summary>
internal static class TensorLifetime
{
    /// <summary>Tensors made by <paramref name="action"/> on this thread and not disposed by it.</summary>
    public static long LeftUndisposed(Action action)
    {
        var statistics = DisposeScopeManager.Statistics.TensorStatistics;
        var before = statistics.ThreadTotalLiveCount;
        action();
        return statistics.ThreadTotalLiveCount - before;
    }
}
