using TrackRec.Streaming.Training.Ctr;
using static TorchSharp.torch;

namespace TrackRec.Streaming.Tests.Ctr;

public sealed class HybridExpertAdapterTests
{
    [Fact]
    public void Output_concatenates_one_mixture_per_vector()
    {
        using var adapter = new HybridExpertAdapter([32, 32, 1], sharedExperts: 2, expertsPerVector: 1, hidden: 64, output: 16);
        using var scope = NewDisposeScope();

        var output = adapter.forward([randn(5, 32), randn(5, 32), rand(5, 1)]);

        Assert.Equal(new long[] { 5, 48 }, output.shape);
        Assert.Equal(48, adapter.OutputSize);
    }

    [Fact]
    public void Gate_of_every_vector_sums_to_one()
    {
        using var adapter = new HybridExpertAdapter([8, 8, 1], sharedExperts: 2, expertsPerVector: 2, hidden: 16, output: 4);
        using var scope = NewDisposeScope();
        Tensor[] inputs = [randn(7, 8), randn(7, 8), rand(7, 1)];

        for (var k = 0; k < 3; k++)
        {
            var gate = adapter.Gate(inputs, k);
            Assert.Equal(new long[] { 7, 4 }, gate.shape);
            var sums = gate.sum(dim: 1).data<float>().ToArray();
            Assert.All(sums, s => Assert.Equal(1f, s, 5));
            Assert.True(gate.min().item<float>() >= 0f);
        }
    }

    [Fact]
    public void Zero_vectors_give_one_constant_output_real_vectors_do_not()
    {
        using var adapter = new HybridExpertAdapter([8, 1], sharedExperts: 1, expertsPerVector: 1, hidden: 16, output: 4);
        using var scope = NewDisposeScope();

        var zero = adapter.forward([zeros(6, 8), zeros(6, 1)]);
        var real = adapter.forward([randn(6, 8), rand(6, 1)]);

        // A missing chain (zeros) is one fixed point of the adapter: every such row maps to the same output.
        Assert.True(zero.sub(zero[0]).abs().max().item<float>() < 1e-6f);
        Assert.True(real.sub(real[0]).abs().max().item<float>() > 1e-3f);
        Assert.True(real.sub(zero).abs().max().item<float>() > 1e-3f);
    }

    [Fact]
    public void Wrong_widths_are_rejected()
    {
        using var adapter = new HybridExpertAdapter([8, 1], sharedExperts: 1, expertsPerVector: 1, hidden: 16, output: 4);
        using var scope = NewDisposeScope();

        Assert.Throws<ArgumentException>(() => adapter.forward([zeros(2, 7), zeros(2, 1)]));
        Assert.Throws<ArgumentException>(() => adapter.forward([zeros(2, 8)]));
    }
}
