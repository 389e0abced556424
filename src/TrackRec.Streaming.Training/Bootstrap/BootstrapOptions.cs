using TrackRec.Streaming.Training.Encoder;

namespace TrackRec.Streaming.Training.Bootstrap;

/// <summary>How the embedded models are bootstrapped from a stream.</summary>
public sealed record BootstrapOptions
{
    /// <summary>Describes the input in the model cards (dataset path, simulator seed...).</summary>
    public required string Source { get; init; }

    /// <summary>Labelled impressions used at most (the newest are kept); bounds training time on big inputs.</summary>
    public int MaxExamples { get; init; } = 40_000;

    /// <summary>Seed of every random choice in training.</summary>
    public int Seed { get; init; } = 7;

    /// <summary>The encoder role to make: the pretrained MiniLM under a trained adapter (default), or one trained from scratch.</summary>
    public EncoderKind Encoder { get; init; } = EncoderKind.Pretrained;

    /// <summary>Held-out outcomes per request, as the worker will use them.</summary>
    public int HeldOutOutcomes { get; init; } = 5;
}
