namespace TrackRec.Streaming.Chains;

/// <summary>
/// The exploration role (best-of-n exploration): a novelty model proposes interest categories the user has
/// not shown recently, an aligned scorer built on collective feedback rates them, and the best are kept.
/// </summary>
public interface IInterestExplorer
{
    /// <summary>Version of the novelty and alignment models.</summary>
    string Version { get; }

    /// <summary>Up to <paramref name="count"/> novel categories for the user, best first.</summary>
    Task<IReadOnlyList<ExplorationCandidate>> ProposeAsync(ChainRequest request, int count, CancellationToken cancellationToken);
}
