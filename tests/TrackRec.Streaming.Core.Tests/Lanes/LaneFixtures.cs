using Xunit;
using TrackRec.Streaming.Chains;
using TrackRec.Streaming.Lanes;

namespace TrackRec.Streaming.Tests.Lanes;

/// <summary>A generator whose every sample call waits until the test lets it finish; it reports each start.</summary>
internal sealed class GatedGenerator : IChainGenerator
{
    private readonly Lock _gate = new();
    private readonly Queue<TaskCompletionSource> _waiting = new();

    /// <summary>Released once per call that has started.</summary>
    public SemaphoreSlim Starts { get; } = new(0);

    /// <summary>Calls that have started.</summary>
    public int Calls { get; private set; }

    /// <summary>When true, a released call fails instead of sampling.</summary>
    public bool Fail { get; set; }

    public string Version => "gated-1";

    public async Task<IReadOnlyList<ChainDraft>> SampleAsync(ChainRequest request, int count, CancellationToken cancellationToken)
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _waiting.Enqueue(release);
            Calls++;
        }
        Starts.Release();
        await release.Task.WaitAsync(cancellationToken);
        if (Fail)
            throw new InvalidOperationException("generator down");
        return Enumerable.Range(0, count).Select(i => new ChainDraft($"chain {i} of {request.UserId} at {request.HistoryVersion}", [], -1.0 - i)).ToList();
    }

    public Task<ChainDraft> RefineAsync(ChainRequest request, ChainDraft draft, Reflection reflection, CancellationToken cancellationToken) => Task.FromResult(draft);

    /// <summary>Lets the oldest waiting call finish.</summary>
    public void ReleaseOne()
    {
        TaskCompletionSource next;
        lock (_gate)
            next = _waiting.Dequeue();
        next.SetResult();
    }

    /// <summary>Waits (bounded, as a guard against a hang) for <paramref name="count"/> more calls to start.</summary>
    public async Task WaitForStartsAsync(int count)
    {
        for (var i = 0; i < count; i++)
            Assert.True(await Starts.WaitAsync(TimeSpan.FromSeconds(30)), "a generation should have started");
    }
}

/// <summary>A gate the test opens and closes.</summary>
internal sealed class SwitchGate : IModelGate
{
    public bool IsOpen { get; set; } = true;
}

internal static class Tickets
{
    public static ChainRequest Request(string user, long version = 1) =>
        new(user, [], [], version, DateTimeOffset.UnixEpoch);

    public static GenerationTicket For(GenerationQueue queue, string user, bool hasChain = true, double staleness = 1, long traffic = 1, Action<GenerationCompletion>? deliver = null, object? owner = null, long enqueuedAt = 0, long version = 1) =>
        new(Request(user, version), new GenerationPriority(hasChain, staleness, traffic, queue.NextSequence()), owner ?? "p0", null, deliver ?? (_ => { }), enqueuedAt);
}
