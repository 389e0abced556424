using System.ComponentModel.DataAnnotations;

namespace TrackRec.Streaming.Feedback;

/// <summary>How labelled outcomes become training data (section <see cref="Section"/>).</summary>
public sealed class FeedbackOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "TrackRec:Feedback";

    /// <summary>Score every sampled chain on each later outcome and emit preference and validator records.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Labelled outcomes a generation needs before its chosen/rejected record is emitted: one label ranks
    /// the n chains by a single coin flip, a few make the ranking worth learning from.
    /// </summary>
    [Range(1, 1000, ErrorMessage = Section + ":MinLabels must be between 1 and 1000")]
    public int MinLabels { get; set; } = 3;

    /// <summary>A copy that can be changed without touching these options.</summary>
    public FeedbackOptions Copy() => (FeedbackOptions)MemberwiseClone();
}
