using TorchSharp;
using static TorchSharp.torch;

namespace TrackRec.Streaming.Tests.Mlp;

/// <summary>
/// libtorch loads in this test output (natives under runtimes/linux-x64/native, libLibTorchSharp.so patched
/// by Directory.Build.targets on Debian 12) and computes: the failure mode is a TypeInitializationException
/// on the first torch call, which these tests would surface before any training test.
/// </summary>
public sealed class TorchSharpLoadTests
{
    [Fact]
    public void Torch_computes_a_matrix_product_and_a_gradient()
    {
        using var a = tensor(new float[] { 1, 2, 3, 4 }, [2, 2]);
        using var b = tensor(new float[] { 5, 6, 7, 8 }, [2, 2]);
        using var product = a.matmul(b);
        Assert.Equal(new float[] { 19, 22, 43, 50 }, product.data<float>().ToArray());

        using var x = tensor(new double[] { 3.0 }).requires_grad_();
        using var y = (x * x).sum();
        y.backward();
        Assert.Equal(6.0, x.grad!.item<double>(), 12);
    }

    [Fact]
    public void Adam_step_lowers_a_quadratic()
    {
        using var w = new TorchSharp.Modules.Parameter(tensor(new float[] { 2f, -3f }));
        using var optimizer = optim.Adam([w], 0.1);
        float first = 0, last = 0;
        for (var step = 0; step < 50; step++)
        {
            using var scope = NewDisposeScope();
            var loss = (w * w).sum();
            if (step == 0)
                first = loss.item<float>();
            last = loss.item<float>();
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
        }
        Assert.True(last < first / 2, $"loss {first} -> {last}");
    }
}
