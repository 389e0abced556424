namespace TrackRec.Streaming.UserState;

/// <summary>What a user did with an item, as remembered in their history.</summary>
public enum Signal
{
    /// <summary>The item was shown.</summary>
    Impression,
    /// <summary>The user clicked it.</summary>
    Click,
    /// <summary>The user commented on it.</summary>
    Comment,
}
