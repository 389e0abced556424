using System.Runtime.InteropServices;
using TrackRec.Streaming.Training.Reproducibility;
using Xunit;
using static TorchSharp.torch;

namespace TrackRec.Streaming.Training.Tests.Reproducibility;

public sealed class TorchDeterminismTests
{
    [Fact]
    public void Apply_fixes_libtorch_to_the_threads_asked_for_and_one_by_default()
    {
        var before = get_num_threads();
        try
        {
            TorchDeterminism.Apply(seed: 1, threads: 2);
            Assert.Equal(2, get_num_threads());
            TorchDeterminism.Apply(seed: 1);
            Assert.Equal(1, get_num_threads());
        }
        finally
        {
            set_num_threads(before);
        }
    }

    [Fact]
    public void The_linux_x64_libtorch_links_mkl_and_its_dynamic_thread_count_is_turned_off()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64,
            "only the linux-x64 libtorch is known to link MKL; elsewhere there may be no MKL to configure");
        _ = get_num_threads(); // loads libtorch
        Assert.True(TorchDeterminism.FixMklThreads(), "MKL_Set_Dynamic was not found in libtorch_cpu");
    }
}
