using TrackRec.Streaming.Feedback;
using TrackRec.Streaming.Chains;
using TrackRec.Streaming.Outcomes;
using TrackRec.Streaming.UserState;

namespace TrackRec.Streaming.Processing;

/// <summary>The settings of the per-partition pipeline, grouped as they are configured.</summary>
public sealed class PipelineOptions
{
    /// <summary>User state bounds.</summary>
    public UserStateOptions UserState { get; set; } = new();

    /// <summary>The impression/outcome join.</summary>
    public AttributionOptions Attribution { get; set; } = new();

    /// <summary>Chain staleness and generation timeout.</summary>
    public ChainFreshnessOptions Chains { get; set; } = new();

    /// <summary>Preference and validator records from labelled outcomes.</summary>
    public FeedbackOptions Feedback { get; set; } = new();

    /// <summary>
    /// A copy whose sections can be replaced without touching these options. Eval varies one setting per run;
    /// copying member by member here, rather than listing the sections at each caller, keeps a section added later.
    /// </summary>
    public PipelineOptions Copy() => (PipelineOptions)MemberwiseClone();
}
