namespace TrackRec.Streaming.Chains;

/// <summary>The kinds of behaviour-grounded statement a chain is composed of.</summary>
public enum ClaimKind
{
    /// <summary>The user likes a category (they clicked or commented on it).</summary>
    Affinity,
    /// <summary>The user passes over a category (shown it repeatedly, never engaged).</summary>
    Aversion,
    /// <summary>A category the user turned to recently, absent from their earlier engagements.</summary>
    RecentShift,
    /// <summary>What the user said about an item in a comment (quoted, fenced, length-limited).</summary>
    CommentAspect,
    /// <summary>A category next to the user's interests that they have been shown but not yet judged.</summary>
    ExplorationHint,
    /// <summary>A statement drawn from what is popular overall rather than from this user: the kind of unsupported claim reflection must catch.</summary>
    PopularPrior,
}
