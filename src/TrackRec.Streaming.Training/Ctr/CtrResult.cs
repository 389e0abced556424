namespace TrackRec.Streaming.Training.Ctr;

/// <summary>What one CTR training measured.</summary>
/// <param name="TestAuc">AUC on the test rows (NaN when they hold one class only).</param>
/// <param name="TestLogLoss">Mean log loss on the test rows.</param>
/// <param name="ValidationAuc">AUC on the validation split (the newest training rows).</param>
/// <param name="ValidationLogLoss">Mean log loss on the validation split.</param>
public sealed record CtrResult(double TestAuc, double TestLogLoss, double ValidationAuc, double ValidationLogLoss)
{
    /// <summary>Rows trained on (the validation split excluded).</summary>
    public int TrainExamples { get; init; }

    /// <summary>Rows of the validation split.</summary>
    public int ValidationExamples { get; init; }

    /// <summary>Rows tested on.</summary>
    public int TestExamples { get; init; }

    /// <summary>Epochs run.</summary>
    public int EpochsRun { get; init; }

    /// <summary>The 1-based epoch whose weights were kept.</summary>
    public int BestEpoch { get; init; }

    /// <summary>Whether the model read chain features.</summary>
    public bool ChainFeatures { get; init; }

    /// <summary>Trainable parameters.</summary>
    public long Parameters { get; init; }

    /// <summary>The trained model's logit for every test row, in order (for AUC on subsets of the test rows).</summary>
    public IReadOnlyList<double> TestLogits { get; init; } = [];

    /// <summary>Wall-clock time.</summary>
    public TimeSpan Elapsed { get; init; }
}
