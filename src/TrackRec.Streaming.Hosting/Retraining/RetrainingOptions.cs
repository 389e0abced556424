using System.ComponentModel.DataAnnotations;

namespace TrackRec.Streaming.Hosting.Retraining;

/// <summary>The worker's own retraining loop (section <see cref="Section"/>), off by default: most teams run `trackrec train --batches` as a job.</summary>
public sealed class RetrainingOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "TrackRec:Retraining";

    private const string Key = Section + ":";

    /// <summary>Retrain inside the worker from the batches it writes (any host the trackrec CLI builds: run, dev, demo).</summary>
    public bool Enabled { get; set; }

    /// <summary>How often the batch directory is checked for new batches.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00", ErrorMessage = Key + "Interval must be between 1 second and 7 days")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>New batches of the serving generator needed before a round runs.</summary>
    [Range(1, 100_000, ErrorMessage = Key + "MinNewBatches must be between 1 and 100000")]
    public int MinNewBatches { get; set; } = 10;

    /// <summary>sdpo (one chosen against all rejected) or dpo (against the worst).</summary>
    [RegularExpression("^(sdpo|dpo)$", ErrorMessage = Key + "Loss must be sdpo or dpo")]
    public string Loss { get; set; } = "sdpo";

    /// <summary>DPO beta.</summary>
    [Range(1e-6, 10.0, ErrorMessage = Key + "Beta must be in (0, 10]")]
    public double Beta { get; set; } = 0.1;
}
