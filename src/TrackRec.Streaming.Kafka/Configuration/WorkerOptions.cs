namespace TrackRec.Streaming.Kafka.Configuration;

/// <summary>How a worker run behaves as a whole.</summary>
public sealed class WorkerOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string Section = "TrackRec:Worker";

    /// <summary>
    /// Bounded run: stop once every assigned input partition is consumed to its end, labelling every
    /// open impression first (the watermark moves to the end of the stream). For demos and batch jobs;
    /// a live worker leaves this off.
    /// </summary>
    public bool StopAtEnd { get; set; }

    /// <summary>A name for this worker in dead letters and logs; defaults to the machine name.</summary>
    public string? WorkerId { get; set; }
}
