using TrackRec.Streaming.Chains;

namespace TrackRec.Streaming.Lanes;

/// <summary>
/// Scoring every chain of a generation on one later outcome (TrackRec's rewards), handed to the slow lane so the
/// partition never waits for it. The lane fills <see cref="Scores"/> (or <see cref="Failure"/>) and then calls the
/// partition back; the partition applies finished jobs in the order it submitted them, so the training records
/// come out in the same order whatever the timing.
/// </summary>
public sealed class FeedbackJob
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Action? _wake;

    /// <summary>Creates a job scoring <paramref name="chain"/>'s samples on <paramref name="item"/>, as of <paramref name="request"/>.</summary>
    public FeedbackJob(Chain chain, ChainRequest request, CandidateItem item, Action? wake = null)
    {
        Chain = chain ?? throw new ArgumentNullException(nameof(chain));
        Request = request ?? throw new ArgumentNullException(nameof(request));
        Item = item ?? throw new ArgumentNullException(nameof(item));
        _wake = wake;
    }

    /// <summary>The generation whose samples are scored.</summary>
    public Chain Chain { get; }

    /// <summary>The user's request as of the outcome.</summary>
    public ChainRequest Request { get; }

    /// <summary>The item of the outcome.</summary>
    public CandidateItem Item { get; }

    /// <summary>One score per sample, in sample order; null until done or when failed.</summary>
    public IReadOnlyList<double>? Scores { get; private set; }

    /// <summary>Why scoring failed, when it did.</summary>
    public Exception? Failure { get; private set; }

    /// <summary>True once scored or failed.</summary>
    public bool IsComplete => _done.Task.IsCompleted;

    /// <summary>Completes when the job is scored or failed.</summary>
    public Task Done => _done.Task;

    internal void Complete(IReadOnlyList<double>? scores, Exception? failure)
    {
        Scores = scores;
        Failure = failure;
        _done.TrySetResult();
        _wake?.Invoke();
    }
}
