using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using TrackRec.Streaming.Lanes;
using TrackRec.Streaming.Models.Llm;

namespace TrackRec.Streaming.Hosting.Lanes;

/// <summary>
/// Fills the lane settings left unset from the model backend: an LLM generator gets no fresh wait (a feature never
/// waits on a call) and twice the endpoint's request budget in generations, so the server is kept busy; an
/// embedded generator writes a chain in a few milliseconds (about 5 with the MiniLM encoder), so features wait up
/// to 50 ms for it and stay fresh, as they were before the lanes were split, whenever the lane would start it at
/// once (never behind a queue: <see cref="SlowLane.WouldStartNow"/>).
/// </summary>
internal sealed class LaneDefaults(IOptions<ModelOptions> models, IConfiguration configuration) : IPostConfigureOptions<LaneOptions>
{
    /// <summary>How long an embedded generator's feature waits by default.</summary>
    public static readonly TimeSpan EmbeddedFreshWait = TimeSpan.FromMilliseconds(50);

    public void PostConfigure(string? name, LaneOptions options)
    {
        var m = models.Value;
        var llmGenerator = m.BackendOf(m.Roles.Generator) == ModelBackend.Llm;
        var budget = configuration.GetSection(LlmOptions.Section).GetValue<int?>(nameof(LlmOptions.MaxConcurrency)) ?? new LlmOptions().MaxConcurrency;
        options.FreshWait ??= llmGenerator ? TimeSpan.Zero : EmbeddedFreshWait;
        // Twice the request budget: a generation spends part of its life between requests (parsing, the embedded
        // encoder and explorer), and the endpoint's budget, not the lane, is what bounds requests in flight.
        options.GenerationConcurrency ??= llmGenerator ? 2 * budget : Environment.ProcessorCount;
        options.FeedbackConcurrency ??= m.Roles.Scorer.Backend == ModelBackend.Llm ? Math.Max(1, budget / 4) : Environment.ProcessorCount;
    }
}
