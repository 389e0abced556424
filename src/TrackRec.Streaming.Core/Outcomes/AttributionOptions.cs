using System.ComponentModel.DataAnnotations;

namespace TrackRec.Streaming.Outcomes;

/// <summary>When a click counts for an impression, and how long to wait for late ones.</summary>
public sealed class AttributionOptions
{
    /// <summary>A click (or comment) up to this long after the impression is attributed to it.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// Extra event time to wait past the window for clicks that arrive out of order; an impression is
    /// labelled not-clicked only once the watermark passes impression time + window + grace.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00")]
    public TimeSpan Grace { get; set; } = TimeSpan.FromMinutes(5);
}
