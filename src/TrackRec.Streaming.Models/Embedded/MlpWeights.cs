using System.Text.Json.Serialization;

namespace TrackRec.Streaming.Models.Embedded;

/// <summary>
/// The parameters of a small fully connected network, as the Training project writes them and
/// <see cref="Mlp"/> evaluates them: ReLU between layers, a linear last layer. Weights are row-major
/// [out, in], the layout of torch.nn.Linear, so training and serving read the same numbers.
/// </summary>
public sealed record MlpWeights
{
    /// <summary>The layers, input first.</summary>
    [JsonPropertyName("layers")]
    public required IReadOnlyList<MlpLayer> Layers { get; init; }

    /// <summary>Width of the input vector.</summary>
    [JsonIgnore]
    public int InputSize => Layers[0].In;

    /// <summary>Width of the output vector.</summary>
    [JsonIgnore]
    public int OutputSize => Layers[^1].Out;

    /// <summary>Throws when the shapes do not chain or the arrays have the wrong lengths.</summary>
    public void Validate()
    {
        if (Layers is null || Layers.Count == 0)
            throw new InvalidDataException("an MLP needs at least one layer");
        for (var i = 0; i < Layers.Count; i++)
        {
            var layer = Layers[i];
            if (layer.In < 1 || layer.Out < 1)
                throw new InvalidDataException($"layer {i}: sizes must be positive (in {layer.In}, out {layer.Out})");
            if (layer.Weight.Count != layer.In * layer.Out)
                throw new InvalidDataException($"layer {i}: weight has {layer.Weight.Count} values, expected {layer.Out}x{layer.In}");
            if (layer.Bias.Count != layer.Out)
                throw new InvalidDataException($"layer {i}: bias has {layer.Bias.Count} values, expected {layer.Out}");
            if (i > 0 && Layers[i - 1].Out != layer.In)
                throw new InvalidDataException($"layer {i}: takes {layer.In} inputs but layer {i - 1} gives {Layers[i - 1].Out}");
        }
    }
}

/// <summary>One linear layer: y = W x + b, W row-major [Out, In].</summary>
public sealed record MlpLayer(
    [property: JsonPropertyName("in")] int In,
    [property: JsonPropertyName("out")] int Out,
    [property: JsonPropertyName("weight")] IReadOnlyList<float> Weight,
    [property: JsonPropertyName("bias")] IReadOnlyList<float> Bias);
