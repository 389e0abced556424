using System.Runtime.InteropServices;
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
    /// <summary>
    /// Threads libtorch uses unless told otherwise: one. With two, two full MovieLens evals of three seeds on two
    /// cores (six libtorch threads) ended rounds 2 and 3 apart in the 6th digit of the S-DPO KL: libtorch links
    /// MKL, whose threaded kernels are bit-stable only at a thread count that stays fixed, and Intel asks for
    /// MKL_DYNAMIC off for that. One thread per seed is stable under any load, and the seeds, not the kernels,
    /// are what an eval runs in parallel.
    /// </summary>
    public const int DefaultThreads = 1;

    /// <summary>Applies the settings for <paramref name="seed"/> to this process.</summary>
    public static void Apply(int seed, int threads = DefaultThreads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        set_num_threads(threads);
        _ = FixMklThreads();
        random.manual_seed(seed);
    }

    /// <summary>
    /// Turns off MKL's dynamic thread count, which may otherwise run a kernel on fewer threads than asked when the
    /// machine is busy and so change its sums. False when this libtorch has no MKL (nothing to fix then).
    /// MKL_Set_Dynamic is the C entry that takes the flag by value; the lower-case export is Fortran's, by reference.
    /// </summary>
    internal static bool FixMklThreads()
    {
        try
        {
            MklSetDynamic(0);
            return true;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [DllImport("libtorch_cpu", EntryPoint = "MKL_Set_Dynamic")]
    private static extern void MklSetDynamic(int flag);
}
