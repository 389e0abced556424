using static TorchSharp.torch;

namespace TrackRec.Streaming.Training.Reproducibility;

/// <summary>
/// Float tensors from .NET arrays, copied into libtorch's own memory. TorchSharp's <c>tensor(array)</c> wraps a
/// pinned copy of the array, which sits wherever the managed heap put it, and MKL (linked into libtorch) picks
/// its kernels by the alignment of their operands: the same training on the same numbers then ends a few ulps
/// apart from run to run, and a round of sampling amplifies that. libtorch's allocator aligns every block to 64
/// bytes, so a copy made by libtorch is summed the same way every time.
/// </summary>
public static class OwnedTensor
{
    /// <summary>A float32 tensor of <paramref name="shape"/> holding <paramref name="data"/>, in libtorch memory.</summary>
    public static Tensor Of(float[] data, params long[] shape)
    {
        using var pinned = tensor(data, shape);
        return pinned.clone();
    }

    /// <summary>A float64 tensor of <paramref name="shape"/> holding <paramref name="data"/>, in libtorch memory.</summary>
    public static Tensor Of(double[] data, params long[] shape)
    {
        using var pinned = tensor(data, shape);
        return pinned.clone();
    }
}
