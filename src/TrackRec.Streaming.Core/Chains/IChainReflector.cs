namespace TrackRec.Streaming.Chains;

/// <summary>The reflection role (R4ec's judge): checks a chain against the history it claims to summarise.</summary>
public interface IChainReflector
{
    /// <summary>Version of the model and prompt.</summary>
    string Version { get; }

    /// <summary>Judges one chain.</summary>
    Task<Reflection> ReflectAsync(ChainRequest request, ChainDraft draft, CancellationToken cancellationToken);
}
