using TrackRec.Streaming.Chains;

namespace TrackRec.Streaming.Lanes;

/// <summary>How a generation ended: a chain (possibly made with some roles degraded), a failure, or superseded by a newer request of the same user.</summary>
public sealed record GenerationCompletion(GenerationTicket Ticket, ChainGeneration? Generation, Exception? Failure, TimeSpan Elapsed)
{
    /// <summary>Replaced in the queue by a newer request of the same user before it ran.</summary>
    public bool Superseded => Generation is null && Failure is null;

    /// <summary>A completion for a ticket that never ran.</summary>
    public static GenerationCompletion SupersededBy(GenerationTicket ticket) => new(ticket, null, null, TimeSpan.Zero);
}
