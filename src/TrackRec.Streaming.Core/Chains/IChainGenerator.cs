namespace TrackRec.Streaming.Chains;

/// <summary>Writes a user's recommendation chain of thought. Backends: the embedded models, an LLM endpoint.</summary>
public interface IChainGenerator
{
    /// <summary>Version of the model behind the chains, carried by every feature it serves.</summary>
    string Version { get; }

    /// <summary>Writes a chain for the request's user.</summary>
    Task<Chain> GenerateAsync(ChainRequest request, CancellationToken cancellationToken);
}
