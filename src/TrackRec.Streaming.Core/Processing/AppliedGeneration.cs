using TrackRec.Streaming.Lanes;

namespace TrackRec.Streaming.Processing;

/// <summary>
/// A generation completion taken into the user's chain cache: the new chain to publish (null when the generation
/// failed or was superseded), and the trigger record whose hold it ends.
/// </summary>
public sealed record AppliedGeneration(GenerationCompletion Completion, Chains.Chain? Chain)
{
    /// <summary>The record that asked for the generation.</summary>
    public object? Trigger => Completion.Ticket.Trigger;
}
