namespace TrackRec.Streaming.Outcomes;

/// <summary>What became of an impression.</summary>
public enum OutcomeLabel
{
    /// <summary>A click for the impression arrived within the attribution window.</summary>
    Clicked,
    /// <summary>The watermark passed the attribution window plus grace with no click.</summary>
    NotClicked,
}
