using static TorchSharp.torch;

namespace TrackRec.Streaming.Training.Reproducibility;

/// <summary>
/// The libtorch settings a reproducible run needs: a fixed intra-op thread count (a reduction split over
/// another number of threads sums in another order) and the global generator seeded for any operation
/// that does not take the trainers' private generators. TorchSharp 0.107 does not implement
/// use_deterministic_algorithms; the CPU kernels the trainers use (embedding, linear, index_select, Adam)
/// have no nondeterministic variant, which EvalDeterminismTests checks end to end.
/// </summary>
public static class TorchDeterminism
{
    /// <summary>Threads libtorch uses unless told otherwise: fixed, not the core count, so that machines agree.</summary>
    public const int DefaultThreads = 2;

    /// <summary>Applies the settings for <paramref name="seed"/> to this process.</summary>
    public static void Apply(int seed, int threads = DefaultThreads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        set_num_threads(threads);
        random.manual_seed(seed);
    }
}
