using TorchSharp;
using TrackRec.Streaming.Training.Mlp;
using TrackRec.Streaming.Training.Optimisation;
using TrackRec.Streaming.Training.Reproducibility;
using Xunit;
using static TorchSharp.torch;

namespace TrackRec.Streaming.Training.Tests.Optimisation;

public sealed class AdamOptimizerTests
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(1e-4)]
    public void Gives_bit_for_bit_the_weights_TorchSharps_Adam_gives(double weightDecay)
    {
        float[] Theirs() => Train(weightDecay, (network, rate, decay) =>
        {
            var adam = optim.Adam(network.parameters(), rate, weight_decay: decay);
            return (adam.zero_grad, () => adam.step(), adam);
        });
        float[] Ours() => Train(weightDecay, (network, rate, decay) =>
        {
            var adam = new AdamOptimizer(network.parameters(), rate, decay);
            return (adam.zero_grad, adam.step, adam);
        });

        var theirs = Theirs();
        var ours = Ours();
        Assert.Equal(theirs, Theirs()); // the inputs sit in libtorch memory, so a run repeats to the bit
        Assert.Equal(ours, Ours());
        Assert.Equal(theirs, ours); // float equality: the same ops in the same order
        Assert.Contains(ours, w => w != 0f);
    }

    [Fact]
    public void A_parameter_without_a_gradient_is_left_as_it_is()
    {
        using var used = new TorchSharp.Modules.Parameter(ones(3));
        using var unused = new TorchSharp.Modules.Parameter(ones(3));
        using var adam = new AdamOptimizer([used, unused], 0.1);
        using (var scope = NewDisposeScope())
        {
            (used * used).sum().backward();
            adam.step();
        }
        Assert.All(unused.data<float>().ToArray(), w => Assert.Equal(1f, w));
        Assert.All(used.data<float>().ToArray(), w => Assert.True(w < 1f));
    }

    private static float[] Train(double weightDecay, Func<TorchMlp, double, double, (Action Zero, Action Step, IDisposable Owner)> optimiser)
    {
        using var network = TorchMlp.Create([4, 8, 1], seed: 7);
        var (zero, step, owner) = optimiser(network, 0.01, weightDecay);
        using (owner)
        {
            var random = new Random(3);
            for (var s = 0; s < 25; s++)
            {
                using var scope = NewDisposeScope();
                var x = OwnedTensor.Of([.. Enumerable.Range(0, 32 * 4).Select(_ => (float)random.NextDouble())], 32, 4);
                var y = x.sum(1, keepdim: true).sin();
                var loss = nn.functional.mse_loss(network.forward(x), y);
                zero();
                loss.backward();
                step();
            }
        }
        return [.. network.parameters().SelectMany(p => p.data<float>().ToArray())];
    }
}
