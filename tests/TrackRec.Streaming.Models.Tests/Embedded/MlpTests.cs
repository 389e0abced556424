using TrackRec.Streaming.Models.Embedded;

namespace TrackRec.Streaming.Tests.Embedded;

/// <summary>
/// The serving-side MLP on weights small enough to compute by hand: row-major [out, in] weights, ReLU
/// between layers, none after the last, and shape checks that reject a file whose layers do not chain.
/// </summary>
public sealed class MlpTests
{
    // Layer 0 (2 -> 3): W = [[1, 2], [-1, 0.5], [0, -3]], b = [0.5, 0, 1]
    // Layer 1 (3 -> 1): W = [[1, -2, 0.25]],              b = [-1]
    private static MlpWeights HandWeights() => new()
    {
        Layers =
        [
            new MlpLayer(2, 3, [1f, 2f, -1f, 0.5f, 0f, -3f], [0.5f, 0f, 1f]),
            new MlpLayer(3, 1, [1f, -2f, 0.25f], [-1f]),
        ],
    };

    [Fact]
    public void Forward_matches_a_hand_computation()
    {
        var mlp = new Mlp(HandWeights());

        // x = (2, 1): hidden pre = (1*2 + 2*1 + 0.5, -2 + 0.5, 0 - 3 + 1) = (4.5, -1.5, -2) -> ReLU (4.5, 0, 0)
        // out = 4.5 - 1 = 3.5 (linear: no ReLU on the last layer).
        Assert.Equal(3.5f, mlp.Score([2f, 1f]), 6);

        // x = (-1, -1): pre = (-3 + 0.5, 1 - 0.5, 3 + 1) = (-2.5, 0.5, 4) -> (0, 0.5, 4); out = -1 + 1 - 1 = -1,
        // negative: the last layer has no ReLU.
        Assert.Equal(-1f, mlp.Score([-1f, -1f]), 6);

        // x = (0, 1): pre = (2.5, 0.5, -2) -> (2.5, 0.5, 0); out = 2.5 - 1 - 1 = 0.5.
        // x = (0, 2): pre = (4.5, 1, -5) -> (4.5, 1, 0); out = 4.5 - 2 - 1 = 1.5.
        Assert.Equal(0.5f, mlp.Score([0f, 1f]), 6);
        Assert.Equal(1.5f, mlp.Score([0f, 2f]), 6);
        Assert.Equal(2, mlp.InputSize);
        Assert.Equal(1, mlp.OutputSize);
    }

    [Fact]
    public void Forward_with_several_outputs_returns_all_of_them()
    {
        var single = new Mlp(new MlpWeights { Layers = [new MlpLayer(2, 2, [1f, 0f, 0f, -1f], [0f, 3f])] });
        Assert.Equal([5f, -4f], single.Forward([5f, 7f]));
    }

    [Fact]
    public void Forward_rejects_an_input_of_the_wrong_width()
    {
        var mlp = new Mlp(HandWeights());
        Assert.Throws<ArgumentException>(() => mlp.Forward([1f, 2f, 3f]));
    }

    public static TheoryData<string, MlpWeights> BadShapes => new()
    {
        { "no layers", new MlpWeights { Layers = [] } },
        { "weight too short", new MlpWeights { Layers = [new MlpLayer(2, 3, [1f, 2f, 3f, 4f, 5f], [0f, 0f, 0f])] } },
        { "weight too long", new MlpWeights { Layers = [new MlpLayer(2, 1, [1f, 2f, 3f], [0f])] } },
        { "bias wrong", new MlpWeights { Layers = [new MlpLayer(2, 1, [1f, 2f], [0f, 1f])] } },
        { "zero width", new MlpWeights { Layers = [new MlpLayer(0, 1, [], [0f])] } },
        {
            "layers do not chain",
            new MlpWeights { Layers = [new MlpLayer(2, 3, new float[6], new float[3]), new MlpLayer(2, 1, new float[2], new float[1])] }
        },
    };

    [Theory]
    [MemberData(nameof(BadShapes))]
    public void Validate_rejects_bad_shapes(string why, MlpWeights weights)
    {
        Assert.False(string.IsNullOrEmpty(why));
        Assert.Throws<InvalidDataException>(weights.Validate);
        Assert.Throws<InvalidDataException>(() => new Mlp(weights));
    }

    [Fact]
    public void Validate_accepts_chained_layers()
    {
        HandWeights().Validate();
        Assert.Equal(2, HandWeights().InputSize);
        Assert.Equal(1, HandWeights().OutputSize);
    }
}
