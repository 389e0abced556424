namespace TrackRec.Streaming.Training.Encoder;

/// <summary>
/// Settings of the contrastive encoder training. The defaults keep the embedded encoder small (64-wide
/// token table, 32-wide vectors) so 10-50k pairs train in seconds on two CPU cores; the CTR model only
/// needs vectors that place chains near the items they lead to.
/// </summary>
public sealed record EncoderTrainingOptions
{
    /// <summary>Width of the token embedding table.</summary>
    public int EmbeddingDimension { get; init; } = 64;

    /// <summary>Length of the output vectors.</summary>
    public int Dimension { get; init; } = 32;

    /// <summary>Passes over the training pairs.</summary>
    public int Epochs { get; init; } = 4;

    /// <summary>Pairs per step; the other pairs of a batch are each pair's negatives.</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary>Adam learning rate.</summary>
    public double LearningRate { get; init; } = 5e-3;

    /// <summary>InfoNCE temperature: lower sharpens the softmax over in-batch candidates.</summary>
    public double Temperature { get; init; } = 0.07;

    /// <summary>Seeds the initialisation (a private libtorch generator) and our shuffling and held-out split, so a run repeats exactly.</summary>
    public int Seed { get; init; } = 17;

    /// <summary>Most tokens per text, [CLS] and [SEP] included; the same cut is applied when serving.</summary>
    public int MaxSequenceLength { get; init; } = 128;

    /// <summary>Most whole words in the vocabulary (characters and specials come on top).</summary>
    public int MaxVocabularyWords { get; init; } = 8000;

    /// <summary>Times a word must occur to get its own token.</summary>
    public int MinWordCount { get; init; } = 2;

    /// <summary>Share of pairs held out to measure retrieval accuracy.</summary>
    public double HeldOutShare { get; init; } = 0.1;

    /// <summary>Most held-out pairs (the measure needs a few hundred, not all).</summary>
    public int MaxHeldOut { get; init; } = 2000;

    /// <summary>Held-out pairs ranked against each other at once when measuring accuracy (chance is 1 / this).</summary>
    public int EvaluationGroupSize { get; init; } = 32;

    /// <summary>Throws naming the first setting that is out of range.</summary>
    public void Validate()
    {
        static void Check(bool ok, string name, string rule)
        {
            if (!ok)
                throw new ArgumentException($"{nameof(EncoderTrainingOptions)}.{name} {rule}", name);
        }
        Check(EmbeddingDimension is >= 1 and <= 4096, nameof(EmbeddingDimension), "must be between 1 and 4096");
        Check(Dimension is >= 1 and <= 4096, nameof(Dimension), "must be between 1 and 4096");
        Check(Epochs is >= 1 and <= 1000, nameof(Epochs), "must be between 1 and 1000");
        Check(BatchSize is >= 2 and <= 65536, nameof(BatchSize), "must be between 2 and 65536");
        Check(LearningRate is > 0 and <= 1, nameof(LearningRate), "must be greater than 0 and at most 1");
        Check(Temperature is > 0 and <= 10, nameof(Temperature), "must be greater than 0 and at most 10");
        Check(MaxSequenceLength is >= 3 and <= 8192, nameof(MaxSequenceLength), "must be between 3 and 8192");
        Check(MaxVocabularyWords >= 0, nameof(MaxVocabularyWords), "must not be negative");
        Check(MinWordCount >= 1, nameof(MinWordCount), "must be at least 1");
        Check(HeldOutShare is >= 0 and < 1, nameof(HeldOutShare), "must be at least 0 and below 1");
        Check(MaxHeldOut >= 0, nameof(MaxHeldOut), "must not be negative");
        Check(EvaluationGroupSize >= 2, nameof(EvaluationGroupSize), "must be at least 2");
    }
}
