using System.Globalization;
using TrackRec.Streaming.Chains;

namespace TrackRec.Streaming.Tests.Chains;

/// <summary>
/// A generator whose samples are easy to tell apart: sample i reads "chain i of USER at VERSION: CATEGORIES"
/// (the categories of the history it was given), has one claim and log-probability <see cref="LogProbabilityOf"/>(i).
/// It records every request, can fail on chosen calls (1-based) and can hang until cancelled.
/// </summary>
internal sealed class RecordingGenerator : IChainGenerator
{
    public const string GeneratorVersion = "fake-1";

    private readonly Lock _gate = new();

    /// <summary>The request of every SampleAsync call, in order.</summary>
    public List<ChainRequest> Requests { get; } = [];

    /// <summary>Every RefineAsync call: the draft it was given and the critique.</summary>
    public List<(ChainDraft Draft, Reflection Reflection)> Refinements { get; } = [];

    /// <summary>SampleAsync calls (1-based) that throw.</summary>
    public HashSet<int> FailOnCalls { get; } = [];

    /// <summary>Every RefineAsync call throws.</summary>
    public bool FailRefine { get; init; }

    /// <summary>SampleAsync waits until its token is cancelled.</summary>
    public bool Hang { get; init; }

    /// <summary>Runs at the start of every SampleAsync call (e.g. to move a fake clock).</summary>
    public Action? OnSample { get; init; }

    /// <summary>Log-probability of sample i; by default the first sample is the most likely.</summary>
    public Func<int, double?> LogProbabilityOf { get; init; } = i => -1.0 - i;

    /// <summary>Samples returned per call; null returns as many as asked for.</summary>
    public int? SampleCount { get; init; }

    /// <summary>Set once a hanging SampleAsync has started.</summary>
    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The token of the last SampleAsync call.</summary>
    public CancellationToken Token { get; private set; }

    public string Version { get; init; } = GeneratorVersion;

    /// <summary>The index i of a draft this generator sampled (refined drafts keep it).</summary>
    public static int IndexOf(ChainDraft draft) => int.Parse(draft.Text.Split(' ')[1], CultureInfo.InvariantCulture);

    public Task<IReadOnlyList<ChainDraft>> SampleAsync(ChainRequest request, int count, CancellationToken cancellationToken)
    {
        int call;
        lock (_gate)
        {
            Requests.Add(request);
            call = Requests.Count;
        }
        Token = cancellationToken;
        OnSample?.Invoke();
        if (FailOnCalls.Contains(call))
            return Task.FromException<IReadOnlyList<ChainDraft>>(new InvalidOperationException($"generator failed on call {call}"));
        if (Hang)
            return HangAsync(cancellationToken);
        var categories = string.Join(",", request.History.SelectMany(h => h.Categories).Distinct(StringComparer.Ordinal));
        IReadOnlyList<ChainDraft> drafts = Enumerable.Range(0, SampleCount ?? count)
            .Select(i => new ChainDraft(
                $"chain {i} of {request.UserId} at {request.HistoryVersion}: {categories}",
                [new ChainClaim(ClaimKind.Affinity, $"c{i}", $"likes c{i}")],
                LogProbabilityOf(i)))
            .ToList();
        return Task.FromResult(drafts);
    }

    public Task<ChainDraft> RefineAsync(ChainRequest request, ChainDraft draft, Reflection reflection, CancellationToken cancellationToken)
    {
        lock (_gate)
            Refinements.Add((draft, reflection));
        if (FailRefine)
            return Task.FromException<ChainDraft>(new InvalidOperationException("refinement failed"));
        return Task.FromResult(draft with { Text = draft.Text + " (refined)" });
    }

    private async Task<IReadOnlyList<ChainDraft>> HangAsync(CancellationToken cancellationToken)
    {
        Started.TrySetResult();
        await Task.Delay(Timeout.Infinite, cancellationToken);
        throw new InvalidOperationException("unreachable");
    }
}

/// <summary>A validator whose score of (chain, item) is a function; a throwing function is a failing validator.</summary>
internal sealed class ScriptedValidator : IChainValidator
{
    public const string ValidatorVersion = "validator-1";

    private readonly Lock _gate = new();

    /// <summary>p for (chain, item); throw to fail the call.</summary>
    public Func<ChainDraft, CandidateItem, double> Score { get; init; } = (_, _) => 0.5;

    /// <summary>Every call: the request, the chain and the items.</summary>
    public List<(ChainRequest Request, ChainDraft Chain, IReadOnlyList<CandidateItem> Items)> Calls { get; } = [];

    public string Version => ValidatorVersion;

    /// <summary>A validator that always fails.</summary>
    public static ScriptedValidator Failing() => new() { Score = (_, _) => throw new InvalidOperationException("validator failed") };

    public Task<IReadOnlyList<double>> ScoreAsync(ChainRequest request, ChainDraft chain, IReadOnlyList<CandidateItem> items, CancellationToken cancellationToken)
    {
        lock (_gate)
            Calls.Add((request, chain, items));
        try
        {
            IReadOnlyList<double> scores = items.Select(item => Score(chain, item)).ToList();
            return Task.FromResult(scores);
        }
        catch (InvalidOperationException ex)
        {
            return Task.FromException<IReadOnlyList<double>>(ex);
        }
    }
}

/// <summary>A reflector whose verdict on a draft is a function; a throwing function is a failing reflector.</summary>
internal sealed class ScriptedReflector : IChainReflector
{
    private readonly Lock _gate = new();

    public Func<ChainDraft, Reflection> Verdict { get; init; } = _ => Reflection.Accept();

    /// <summary>Every draft judged, in order.</summary>
    public List<ChainDraft> Judged { get; } = [];

    public string Version => "reflector-1";

    /// <summary>Rejects every draft, naming its first claim.</summary>
    public static Reflection Reject(ChainDraft draft) =>
        new(false, "unsupported", draft.Claims.Select(c => c.Text).Take(1).ToList());

    public Task<Reflection> ReflectAsync(ChainRequest request, ChainDraft draft, CancellationToken cancellationToken)
    {
        lock (_gate)
            Judged.Add(draft);
        try
        {
            return Task.FromResult(Verdict(draft));
        }
        catch (InvalidOperationException ex)
        {
            return Task.FromException<Reflection>(ex);
        }
    }
}

/// <summary>An encoder giving text t the vector [len(t), 1]; records what it was asked to embed.</summary>
internal sealed class FakeEncoder : IChainEncoder
{
    public bool Fail { get; init; }

    public List<IReadOnlyList<string>> Calls { get; } = [];

    public string Version => "encoder-1";

    public int Dimension => 2;

    public Task<IReadOnlyList<float[]>> EncodeAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        Calls.Add(texts);
        if (Fail)
            return Task.FromException<IReadOnlyList<float[]>>(new InvalidOperationException("encoder failed"));
        IReadOnlyList<float[]> vectors = texts.Select(t => new float[] { t.Length, 1 }).ToList();
        return Task.FromResult(vectors);
    }
}

/// <summary>An explorer proposing fixed candidates (the first <c>count</c> of them).</summary>
internal sealed class FakeExplorer : IInterestExplorer
{
    public IReadOnlyList<ExplorationCandidate> Candidates { get; init; } =
        [new("folk", 0.4, 100), new("blues", 0.3, 80), new("opera", 0.2, 50)];

    public bool Fail { get; init; }

    public List<int> Counts { get; } = [];

    public string Version => "explorer-1";

    public Task<IReadOnlyList<ExplorationCandidate>> ProposeAsync(ChainRequest request, int count, CancellationToken cancellationToken)
    {
        Counts.Add(count);
        if (Fail)
            return Task.FromException<IReadOnlyList<ExplorationCandidate>>(new InvalidOperationException("explorer failed"));
        IReadOnlyList<ExplorationCandidate> proposed = Candidates.Take(count).ToList();
        return Task.FromResult(proposed);
    }
}
