namespace TrackRec.Streaming.Features;

/// <summary>Where the chain behind a feature came from, so the ranking model can weigh or drop it.</summary>
public enum ChainSource
{
    /// <summary>Generated for this request.</summary>
    Fresh,
    /// <summary>Reused from the user's cached chain (still within its staleness budget).</summary>
    Cached,
    /// <summary>A model backend failed; the feature carries what could be had (possibly no chain).</summary>
    Degraded,
}
