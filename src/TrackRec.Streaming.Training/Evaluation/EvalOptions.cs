using TrackRec.Streaming.Chains;
using TrackRec.Streaming.Processing;
using TrackRec.Streaming.Training.Ctr;
using TrackRec.Streaming.Training.Encoder;
using TrackRec.Streaming.Training.Reproducibility;

namespace TrackRec.Streaming.Training.Evaluation;

/// <summary>Settings of one `trackrec eval` run.</summary>
public sealed record EvalOptions
{
    /// <summary>Describes the input (dataset path, events file, simulator seed).</summary>
    public required string Source { get; init; }

    /// <summary>Model directory the round-0 models are trained into (and round trainers publish to); its role folders are replaced at the start of a run.</summary>
    public required string ModelDirectory { get; init; }

    /// <summary>Alternating rounds after round 0.</summary>
    public int Rounds { get; init; } = 3;

    /// <summary>Share of the event-time range whose impressions train; the rest test.</summary>
    public double TrainShare { get; init; } = 0.7;

    /// <summary>Seed of the bootstrap and the backbone.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>libtorch intra-op threads: fixed so that the same seed gives the same numbers.</summary>
    public int TorchThreads { get; init; } = TorchDeterminism.DefaultThreads;

    /// <summary>Engaged items the backbone reads per impression.</summary>
    public int HistoryLength { get; init; } = 10;

    /// <summary>Labelled impressions the bootstrap trains the embedded models on at most (the newest of the train part).</summary>
    public int MaxBootstrapExamples { get; init; } = 40_000;

    /// <summary>The backbone's budget, identical with and without chain features (its seed is replaced by <see cref="Seed"/>).</summary>
    public CtrTrainingOptions Ctr { get; init; } = new();

    /// <summary>User state, join and chain freshness, as the worker is configured.</summary>
    public PipelineOptions Pipeline { get; init; } = new();

    /// <summary>How a generation runs, as the worker is configured.</summary>
    public GenerationOptions Writer { get; init; } = new();

    /// <summary>The encoder role round 0 makes: the pretrained MiniLM under a trained adapter (default) or one trained from scratch.</summary>
    public EncoderKind Encoder { get; init; } = EncoderKind.Pretrained;

    /// <summary>Each round also retrains the encoder on the new generator's chains, as it retrains the validator.</summary>
    public bool RealignEncoder { get; init; }

    /// <summary>Also train round 0's Full without one chain feature at a time.</summary>
    public bool Ablations { get; init; } = true;

    /// <summary>User-bootstrap resamples of each interval computed within a run (the best-of-n margin).</summary>
    public int Resamples { get; init; } = 1000;

    /// <summary>Also report MIND's per-log metrics (rows of one user at one instant form a log).</summary>
    public bool LogMetrics { get; init; }

    /// <summary>Throws naming the first setting out of range.</summary>
    public void Validate()
    {
        if (Rounds is < 0 or > 20)
            throw new ArgumentException("Rounds must be between 0 and 20", nameof(Rounds));
        if (TrainShare is <= 0 or >= 1 || double.IsNaN(TrainShare))
            throw new ArgumentException("TrainShare must be in (0, 1)", nameof(TrainShare));
        if (HistoryLength is < 1 or > 100)
            throw new ArgumentException("HistoryLength must be between 1 and 100", nameof(HistoryLength));
        if (TorchThreads is < 1 or > 256)
            throw new ArgumentException("TorchThreads must be between 1 and 256", nameof(TorchThreads));
        if (Resamples is < 1 or > 100_000)
            throw new ArgumentException("Resamples must be between 1 and 100000", nameof(Resamples));
        Ctr.Validate();
    }
}
