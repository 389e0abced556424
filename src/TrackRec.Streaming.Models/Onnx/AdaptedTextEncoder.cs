using System.Globalization;
using TrackRec.Streaming.Chains;
using TrackRec.Streaming.Models.Store;

namespace TrackRec.Streaming.Models.Onnx;

/// <summary>
/// The default encoder role: a frozen pretrained sentence encoder (all-MiniLM-L6-v2, shipped with the build)
/// under a trained <see cref="EncoderAdapterWeights"/> adapter that pulls a chain's vector towards the items
/// its user engages with next (RecCoT's contrastive alignment). Item texts go through the same adapter, so
/// chain and item vectors live in one space. The base is not owned: one process-wide MiniLM session serves
/// every adapter version, so a model reload does not reload 90 MB.
/// </summary>
public sealed class AdaptedTextEncoder(IChainEncoder baseEncoder, EncoderAdapterWeights adapter, string version) : IChainEncoder
{
    /// <summary>Card setting naming the frozen base encoder (its presence marks an adapter version).</summary>
    public const string BaseSetting = "base_encoder";

    /// <summary>File of the adapter's weights in a model-directory version.</summary>
    public const string AdapterFile = "adapter.json";

    private readonly IChainEncoder _base = baseEncoder ?? throw new ArgumentNullException(nameof(baseEncoder));
    private readonly EncoderAdapterWeights _adapter = adapter ?? throw new ArgumentNullException(nameof(adapter));

    /// <inheritdoc />
    public string Version { get; } = string.IsNullOrWhiteSpace(version) ? throw new ArgumentException("a version is required", nameof(version)) : version;

    /// <inheritdoc />
    public int Dimension => _adapter.Dimension;

    /// <summary>Whether <paramref name="card"/> is an adapter over a pretrained base (else a whole ONNX encoder).</summary>
    public static bool IsAdapter(ModelCard card)
    {
        ArgumentNullException.ThrowIfNull(card);
        return card.Settings.ContainsKey(BaseSetting);
    }

    /// <summary>Loads an adapter version over the shared MiniLM session; refuses a base it does not ship.</summary>
    public static AdaptedTextEncoder FromModelStore(ModelStore store, ModelCard card)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(card);
        var baseName = card.Settings.GetValueOrDefault(BaseSetting);
        if (baseName != MiniLmEncoderFiles.Version)
            throw new InvalidDataException($"model {card.Name} version {card.Version} adapts base encoder '{baseName}'; this build ships only {MiniLmEncoderFiles.Version}");
        var weights = store.ReadJson<EncoderAdapterWeights>(card, AdapterFile);
        weights.Validate();
        if (weights.Dimension != MiniLmEncoderFiles.Dimension)
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"model {card.Name} version {card.Version}: adapter is {weights.Dimension} wide, {MiniLmEncoderFiles.Version} makes {MiniLmEncoderFiles.Dimension}"));
        return new AdaptedTextEncoder(MiniLmEncoderFiles.Shared, weights, card.Version);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<float[]>> EncodeAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        var vectors = await _base.EncodeAsync(texts, cancellationToken).ConfigureAwait(false);
        return vectors.Select(_adapter.Apply).ToList();
    }
}
