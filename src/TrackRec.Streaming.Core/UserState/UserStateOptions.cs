using System.ComponentModel.DataAnnotations;

namespace TrackRec.Streaming.UserState;

/// <summary>How much of each user the worker remembers.</summary>
public sealed class UserStateOptions
{
    /// <summary>Interactions kept per user (the generator's view of the user).</summary>
    [Range(1, 10_000)]
    public int HistoryLength { get; set; } = 50;

    /// <summary>Labelled outcomes kept per user (what chains are validated against).</summary>
    [Range(1, 10_000)]
    public int OutcomeLength { get; set; } = 20;

    /// <summary>Users kept per partition before the least recently active are forgotten.</summary>
    [Range(1, 100_000_000)]
    public int MaxUsersPerPartition { get; set; } = 1_000_000;
}
