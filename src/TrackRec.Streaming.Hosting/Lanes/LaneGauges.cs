using TrackRec.Streaming.Chains;
using TrackRec.Streaming.Diagnostics;
using TrackRec.Streaming.Lanes;

namespace TrackRec.Streaming.Hosting.Lanes;

/// <summary>
/// What the slow lane's gauges read: queue depth and age, and model requests in flight against their budget. With
/// an LLM endpoint in use those are the endpoint client's requests (every role, budget Llm:MaxConcurrency);
/// otherwise the lane's own generations and feedback jobs.
/// </summary>
internal sealed class LaneGauges(SlowLane lane, GenerationOrchestrator writer) : ILaneGauges
{
    public int QueueDepth => lane.Queue.Depth;

    public double QueueAgeMs => lane.Queue.OldestAge.TotalMilliseconds;

    public int InFlight => LlmRoles.ClientOf(writer.Roles) is { } client ? client.InFlight : lane.GenerationsInFlight + lane.FeedbackInFlight;

    public int Budget => LlmRoles.ClientOf(writer.Roles) is { } client ? client.Options.MaxConcurrency : lane.GenerationConcurrency + lane.FeedbackConcurrency;

    public bool CircuitOpen => LlmRoles.ClientOf(writer.Roles) is { CircuitOpen: true };

    public long Shed => lane.Queue.Shed;
}
