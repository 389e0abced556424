namespace TrackRec.Streaming.Chains;

/// <summary>The encoder role: embeds chain (and prompt) text for the CTR model. Vectors are L2-normalised.</summary>
public interface IChainEncoder
{
    /// <summary>Version of the encoder, carried by every embedding it makes.</summary>
    string Version { get; }

    /// <summary>Length of every vector.</summary>
    int Dimension { get; }

    /// <summary>Embeds the texts, one vector per text, in order.</summary>
    Task<IReadOnlyList<float[]>> EncodeAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken);
}
