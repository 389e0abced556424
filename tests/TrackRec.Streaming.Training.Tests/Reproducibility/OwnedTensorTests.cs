using TrackRec.Streaming.Training.Reproducibility;
using Xunit;
using static TorchSharp.torch;

namespace TrackRec.Streaming.Training.Tests.Reproducibility;

public sealed class OwnedTensorTests
{
    [Fact]
    public void Holds_the_arrays_values_in_64_byte_aligned_memory_that_the_array_does_not_share()
    {
        var floats = new[] { 1f, 2f, 3f, 4f, 5f, 6f };
        var doubles = new[] { 0.5, -1.25 };
        for (var i = 0; i < 20; i++) // managed arrays land on other boundaries; every copy must not
        {
            using var f = OwnedTensor.Of(floats, 2, 3);
            using var d = OwnedTensor.Of(doubles, 2);
            Assert.Equal(0, f.storage<float>().data_ptr() % 64);
            Assert.Equal(0, d.storage<double>().data_ptr() % 64);
            Assert.Equal([2L, 3L], f.shape);
            Assert.Equal(floats, f.data<float>().ToArray());
            Assert.Equal(doubles, d.data<double>().ToArray());
            Assert.Equal(ScalarType.Float64, d.dtype);
        }
        using var copy = OwnedTensor.Of(floats, 6);
        floats[0] = 100f;
        Assert.Equal(1f, copy[0].item<float>());
    }
}
