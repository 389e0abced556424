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

    /// <summary>
    /// The prompt the generator reads for <paramref name="request"/>, as chat messages: what preference
    /// records carry, so an external trainer (TRL's DPOTrainer) learns on the prompt the model serves with.
    /// Backends without a chat prompt give the request rendered as one user message; a user with no history yet
    /// still gets a message that says so, since chat trainers reject an empty one.
    /// </summary>
    IReadOnlyList<PromptMessage> RenderPrompt(ChainRequest request) =>
        [new("user", request is { History.Count: 0 } ? "(no interactions yet)" : GenerationOrchestrator.FencedPromptOf(request))];
}
