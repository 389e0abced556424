using System.ComponentModel.DataAnnotations;

namespace TrackRec.Streaming.Kafka.Configuration;

/// <summary>The topics the worker reads and writes. Impressions, clicks and comments must be co-partitioned by user id.</summary>
public sealed class TopicOptions
{
    /// <summary>Input: impressions, keyed by user id.</summary>
    [Required] public string Impressions { get; set; } = "trackrec.impressions";
    /// <summary>Input: clicks, keyed by user id.</summary>
    [Required] public string Clicks { get; set; } = "trackrec.clicks";
    /// <summary>Input: comments, keyed by user id.</summary>
    [Required] public string Comments { get; set; } = "trackrec.comments";
    /// <summary>Input: the item catalog, keyed by item id, read whole as a table by every worker.</summary>
    [Required] public string Items { get; set; } = "trackrec.items";
    /// <summary>Output: one feature record per impression, keyed by impression id.</summary>
    [Required] public string Features { get; set; } = "trackrec.features";
    /// <summary>Output: the latest chain per user, keyed by user id (a compacted topic).</summary>
    [Required] public string UserChains { get; set; } = "trackrec.user-chains";
    /// <summary>Output: one outcome label per impression, keyed by impression id.</summary>
    [Required] public string Outcomes { get; set; } = "trackrec.outcomes";
    /// <summary>Output: records that could not be decoded or were invalid, with their provenance.</summary>
    [Required] public string DeadLetters { get; set; } = "trackrec.dead-letters";
    /// <summary>Output: one manifest per durable training batch (DPO preferences, validator records), keyed by batch id.</summary>
    [Required] public string BatchManifests { get; set; } = "trackrec.batch-manifests";

    /// <summary>The co-partitioned behaviour inputs, in the order the worker indexes them.</summary>
    public IReadOnlyList<string> BehaviourInputs => [Impressions, Clicks, Comments];
}
