namespace TrackRec.Streaming.Features;

/// <summary>Where the chain behind a feature came from, so the ranking model can weigh or drop it.</summary>
public enum ChainSource
{
    /// <summary>Generated for this request.</summary>
    Fresh,
    /// <summary>Reused from the user's cached chain (still within its staleness limit).</summary>
    Cached,
    /// <summary>A model backend failed; the feature carries what could be had (possibly no chain).</summary>
    Degraded,
    /// <summary>The user's chain is past its staleness limit; a new one is pending in the slow lane, this one served meanwhile.</summary>
    Stale,
    /// <summary>The user has no chain yet; one is pending in the slow lane.</summary>
    None,
}
