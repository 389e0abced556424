using TrackRec.Streaming.Training.Mlp;
using static TorchSharp.torch;

namespace TrackRec.Streaming.Tests.Mlp;

/// <summary>
/// S-DPO against its formula on hand numbers, against plain DPO for one rejected answer, per-example in a batch,
/// with gradients that push the chosen answer up and the rejected ones down, and stable at large margins.
/// </summary>
public sealed class SDpoLossTests
{
    [Fact]
    public void Equals_the_formula_on_hand_numbers()
    {
        const double beta = 0.5;
        double chosen = -1.2, chosenRef = -1.5;
        double[] rejected = [-0.8, -2.0, -1.1], rejectedRef = [-1.0, -1.7, -1.3];
        // h_w = 0.3; h_j = (0.2, -0.3, 0.2); beta (h_j - h_w) = (-0.05, -0.3, -0.05)
        // L = -log sigmoid(-log(e^-0.05 + e^-0.3 + e^-0.05)) = log(1 + e^-0.05 + e^-0.3 + e^-0.05) = log(3.643277...) = 1.292884...
        var expected = Math.Log(1 + 2 * Math.Exp(-0.05) + Math.Exp(-0.3));

        using var loss = Compute(chosen, chosenRef, rejected, rejectedRef, beta);

        Assert.Equal(0, loss.dim());
        Assert.Equal(expected, loss.item<double>(), 1e-12);
        Assert.Equal(1.292884, expected, 6); // the hand value, so a wrong formula above cannot hide
    }

    [Theory]
    [InlineData(-1.0, -1.3, -2.0, -1.6, 0.1)]
    [InlineData(-4.0, -3.0, -1.0, -2.5, 1.0)]
    [InlineData(-0.5, -0.5, -0.5, -0.5, 2.0)]
    public void With_one_rejected_answer_it_is_plain_DPO(double chosen, double chosenRef, double rejected, double rejectedRef, double beta)
    {
        var z = beta * ((chosen - chosenRef) - (rejected - rejectedRef));
        var dpo = -Math.Log(1 / (1 + Math.Exp(-z)));

        using var loss = Compute(chosen, chosenRef, [rejected], [rejectedRef], beta);

        Assert.Equal(dpo, loss.item<double>(), 1e-12);
    }

    [Fact]
    public void A_batch_gives_each_example_its_own_loss()
    {
        double[] chosen = [-1.2, -0.4], chosenRef = [-1.5, -0.9];
        double[,] rejected = { { -0.8, -2.0 }, { -3.0, -0.1 } }, rejectedRef = { { -1.0, -1.7 }, { -2.0, -0.3 } };
        using var batch = SDpoLoss.Compute(tensor(chosen), tensor(chosenRef),
            tensor(rejected.Cast<double>().ToArray(), [2, 2]), tensor(rejectedRef.Cast<double>().ToArray(), [2, 2]), 0.7);

        Assert.Equal([2L], batch.shape);
        for (var b = 0; b < 2; b++)
        {
            using var single = Compute(chosen[b], chosenRef[b], [rejected[b, 0], rejected[b, 1]], [rejectedRef[b, 0], rejectedRef[b, 1]], 0.7);
            Assert.Equal(single.item<double>(), batch[b].item<double>(), 1e-12);
        }
    }

    [Fact]
    public void Gradient_raises_the_chosen_and_lowers_the_rejected_and_spares_the_reference()
    {
        using var chosen = tensor(-1.2).requires_grad_();
        using var rejected = tensor(new[] { -0.8, -2.0, -1.1 }).requires_grad_();
        using var loss = SDpoLoss.Compute(chosen, tensor(-1.5), rejected, tensor(new[] { -1.0, -1.7, -1.3 }), 0.5);
        loss.backward();

        Assert.True(chosen.grad!.item<double>() < 0); // descending the loss raises log pi(y_w)
        Assert.All(rejected.grad!.data<double>().ToArray(), g => Assert.True(g > 0));
        // The gradient on y_w balances those on the y_j (the loss depends on differences only).
        Assert.Equal(0.0, chosen.grad!.item<double>() + rejected.grad!.sum().item<double>(), 12);
    }

    [Fact]
    public void Large_margins_stay_finite()
    {
        using var chosen = tensor(0.0).requires_grad_();
        using var rejected = tensor(new[] { -500.0, -800.0 }).requires_grad_();
        using var easy = SDpoLoss.Compute(chosen, tensor(0.0), rejected, tensor(new[] { 0.0, 0.0 }), 1.0);
        easy.backward();
        Assert.InRange(easy.item<double>(), 0, 1e-100);
        Assert.True(double.IsFinite(chosen.grad!.item<double>()));

        using var hard = Compute(0, 0, [500, 800], [0, 0], 1.0);
        Assert.Equal(800.0, hard.item<double>(), 6); // log(1 + e^500 + e^800) ~ 800
    }

    [Fact]
    public void Shapes_and_beta_are_checked()
    {
        using var c = tensor(-1.0);
        using var r = tensor(new[] { -1.0, -2.0 });
        Assert.Throws<ArgumentException>(() => SDpoLoss.Compute(c, c, r, tensor(new[] { -1.0 }), 1));
        Assert.Throws<ArgumentException>(() => SDpoLoss.Compute(c, tensor(new[] { -1.0 }), r, r, 1));
        Assert.Throws<ArgumentException>(() => SDpoLoss.Compute(c, c, c, c, 1));
        Assert.Throws<ArgumentException>(() => SDpoLoss.Compute(c, c, zeros(0, dtype: ScalarType.Float64), zeros(0, dtype: ScalarType.Float64), 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => SDpoLoss.Compute(c, c, r, r, 0));
    }

    private static Tensor Compute(double chosen, double chosenRef, double[] rejected, double[] rejectedRef, double beta) =>
        SDpoLoss.Compute(tensor(chosen), tensor(chosenRef), tensor(rejected), tensor(rejectedRef), beta);
}
