using TrackRec.Streaming.Kafka.Configuration;

namespace TrackRec.Streaming.Kafka.Replay;

/// <summary>The topics a replay writes: the live output topics with a suffix (a sandbox), or the live ones when asked explicitly.</summary>
public sealed record ReplayTargets(string Features, string UserChains, string Outcomes, string DeadLetters, string BatchManifests)
{
    /// <summary>The targets for <paramref name="live"/>'s outputs; throws <see cref="ReplayPlanException"/> naming the option when they would clash with an input.</summary>
    public static ReplayTargets For(TopicOptions live, string suffix, bool toLive)
    {
        ArgumentNullException.ThrowIfNull(live);
        if (toLive)
            return new ReplayTargets(live.Features, live.UserChains, live.Outcomes, live.DeadLetters, live.BatchManifests);
        if (string.IsNullOrWhiteSpace(suffix) || suffix.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')))
            throw new ReplayPlanException($"--target-suffix '{suffix}' must be non-empty and use only letters, digits, '.', '_' and '-' (use --to-live to write to the live topics)");
        var targets = new ReplayTargets(live.Features + suffix, live.UserChains + suffix, live.Outcomes + suffix, live.DeadLetters + suffix, live.BatchManifests + suffix);
        var inputs = live.BehaviourInputs.Append(live.Items).ToHashSet(StringComparer.Ordinal);
        foreach (var topic in targets.All.Where(inputs.Contains))
            throw new ReplayPlanException($"--target-suffix '{suffix}' makes the output topic '{topic}' an input topic");
        return targets;
    }

    /// <summary>All target topics.</summary>
    public IReadOnlyList<string> All => [Features, UserChains, Outcomes, DeadLetters, BatchManifests];

    /// <summary>The worker's topic settings with these outputs and <paramref name="live"/>'s inputs.</summary>
    public void ApplyTo(TopicOptions topics)
    {
        ArgumentNullException.ThrowIfNull(topics);
        topics.Features = Features;
        topics.UserChains = UserChains;
        topics.Outcomes = Outcomes;
        topics.DeadLetters = DeadLetters;
        topics.BatchManifests = BatchManifests;
    }
}
