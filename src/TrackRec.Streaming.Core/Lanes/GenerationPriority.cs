namespace TrackRec.Streaming.Lanes;

/// <summary>
/// Which pending generation runs first: users with no chain at all, then the stalest chains (staleness is the
/// larger of new history events over the limit and age over the time to live), then the busiest users, then
/// first come first served.
/// </summary>
public readonly record struct GenerationPriority(bool HasChain, double Staleness, long Traffic, long Sequence) : IComparable<GenerationPriority>
{
    /// <summary>Smaller runs first.</summary>
    public int CompareTo(GenerationPriority other)
    {
        if (HasChain != other.HasChain)
            return HasChain ? 1 : -1;
        var byStaleness = other.Staleness.CompareTo(Staleness);
        if (byStaleness != 0)
            return byStaleness;
        var byTraffic = other.Traffic.CompareTo(Traffic);
        return byTraffic != 0 ? byTraffic : Sequence.CompareTo(other.Sequence);
    }
}
