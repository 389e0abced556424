namespace TrackRec.Streaming.Chains;

/// <summary>The generator role (TrackRec's G, R4ec's actor). Backends: the embedded policy, an LLM endpoint.</summary>
public interface IChainGenerator
{
    /// <summary>Version of the model and prompt behind the chains, carried by every feature they serve.</summary>
    string Version { get; }

    /// <summary>Samples <paramref name="count"/> chains for the request's user (fewer only if the backend cannot vary them).</summary>
    Task<IReadOnlyList<ChainDraft>> SampleAsync(ChainRequest request, int count, CancellationToken cancellationToken);

    /// <summary>Rewrites a chain that reflection rejected, guided by its critique.</summary>
    Task<ChainDraft> RefineAsync(ChainRequest request, ChainDraft draft, Reflection reflection, CancellationToken cancellationToken);
}
