using System.Threading.Channels;
using TrackRec.Streaming.Chains;

namespace TrackRec.Streaming.Lanes;

/// <summary>
/// The worker's model work off the partitions' path: generations from the deduplicated, prioritised
/// <see cref="GenerationQueue"/>, and feedback scoring jobs, each under its own concurrency budget shared by all
/// partitions. While the <see cref="IModelGate"/> is closed (an LLM circuit open) no generation starts, so a failing
/// endpoint is never asked harder. Deterministic mode runs the same work inline (<see cref="RunNowAsync"/>,
/// <see cref="ScoreNowAsync"/>) under the same budgets.
/// </summary>
public sealed class SlowLane
{
    private readonly GenerationOrchestrator _writer;
    private readonly IModelGate _gate;
    private readonly TimeSpan _generationTimeout;
    private readonly TimeSpan _gatePoll;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _generationSlots;
    private readonly SemaphoreSlim _feedbackSlots;
    private readonly Channel<FeedbackJob> _feedback = Channel.CreateUnbounded<FeedbackJob>(new UnboundedChannelOptions { SingleReader = true });
    private int _generationsInFlight;
    private int _feedbackInFlight;
    private long _feedbackPending;

    /// <summary>Creates the lane; it does nothing until <see cref="RunAsync"/> (live mode) or an inline call.</summary>
    public SlowLane(GenerationOrchestrator writer, GenerationQueue queue, int generationConcurrency, int feedbackConcurrency, TimeSpan generationTimeout, IModelGate? gate = null, TimeSpan? gatePoll = null, TimeProvider? time = null)
    {
        _writer = writer ?? throw new ArgumentNullException(nameof(writer));
        Queue = queue ?? throw new ArgumentNullException(nameof(queue));
        ArgumentOutOfRangeException.ThrowIfLessThan(generationConcurrency, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(feedbackConcurrency, 1);
        GenerationConcurrency = generationConcurrency;
        FeedbackConcurrency = feedbackConcurrency;
        _generationSlots = new SemaphoreSlim(generationConcurrency, generationConcurrency);
        _feedbackSlots = new SemaphoreSlim(feedbackConcurrency, feedbackConcurrency);
        _generationTimeout = generationTimeout;
        _gate = gate ?? AlwaysOpenGate.Instance;
        _gatePoll = gatePoll ?? TimeSpan.FromMilliseconds(200);
        _time = time ?? TimeProvider.System;
    }

    /// <summary>A lane for one caller that runs everything inline (tests, offline evaluation).</summary>
    public static SlowLane Inline(GenerationOrchestrator writer, TimeSpan generationTimeout, TimeProvider? time = null) =>
        new(writer, new GenerationQueue(int.MaxValue, time), 1, 1, generationTimeout, time: time);

    /// <summary>The pending generations.</summary>
    public GenerationQueue Queue { get; }

    /// <summary>The generation budget.</summary>
    public int GenerationConcurrency { get; }

    /// <summary>The feedback budget.</summary>
    public int FeedbackConcurrency { get; }

    /// <summary>Generations running now.</summary>
    public int GenerationsInFlight => Volatile.Read(ref _generationsInFlight);

    /// <summary>Feedback jobs running now.</summary>
    public int FeedbackInFlight => Volatile.Read(ref _feedbackInFlight);

    /// <summary>Feedback jobs submitted and not yet finished.</summary>
    public long FeedbackPending => Interlocked.Read(ref _feedbackPending);

    /// <summary>True when the gate lets generations start.</summary>
    public bool GateOpen => _gate.IsOpen;

    /// <summary>
    /// True when a generation asked for now would start at once: the gate is open and a slot is free for it past
    /// the tickets already queued. Only then is a feature's fresh wait worth spending; behind a queue it would
    /// stall the partition for a chain that cannot arrive in time.
    /// </summary>
    public bool WouldStartNow => _gate.IsOpen && Queue.Depth < _generationSlots.CurrentCount;

    /// <summary>Queues a feedback job (live mode).</summary>
    public void Submit(FeedbackJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        Interlocked.Increment(ref _feedbackPending);
        if (!_feedback.Writer.TryWrite(job))
        {
            Interlocked.Decrement(ref _feedbackPending);
            job.Complete(null, new InvalidOperationException("the slow lane has stopped"));
        }
    }

    /// <summary>Drains the queue and the feedback jobs until <paramref name="cancellationToken"/> is cancelled.</summary>
    public Task RunAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(Task.Run(() => GenerationLoopAsync(cancellationToken), CancellationToken.None), Task.Run(() => FeedbackLoopAsync(cancellationToken), CancellationToken.None));

    /// <summary>Runs <paramref name="ticket"/> now, under the generation budget (deterministic mode).</summary>
    public async Task<GenerationCompletion> RunNowAsync(GenerationTicket ticket, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        await _generationSlots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await GenerateAsync(ticket, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _generationSlots.Release();
        }
        cancellationToken.ThrowIfCancellationRequested(); // the caller stopped: not a failure of the model
        return await ticket.Done.ConfigureAwait(false);
    }

    /// <summary>Scores <paramref name="job"/> now, under the feedback budget (deterministic mode).</summary>
    public async Task ScoreNowAsync(FeedbackJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        Interlocked.Increment(ref _feedbackPending);
        await _feedbackSlots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await ScoreAsync(job, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _feedbackSlots.Release();
        }
    }

    private async Task GenerationLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Queue.WaitAsync(cancellationToken).ConfigureAwait(false);
                // A closed gate holds the queue: users keep their chains (superseding their requests) until it opens.
                while (!_gate.IsOpen)
                    await Task.Delay(_gatePoll, _time, cancellationToken).ConfigureAwait(false);
                // The slot first, then the ticket: the most urgent one at the moment capacity frees up runs.
                await _generationSlots.WaitAsync(cancellationToken).ConfigureAwait(false);
                if (!Queue.TryDequeue(out var ticket))
                {
                    _generationSlots.Release();
                    continue;
                }
                _ = RunSlotAsync(ticket, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task RunSlotAsync(GenerationTicket ticket, CancellationToken cancellationToken)
    {
        try
        {
            await GenerateAsync(ticket, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _generationSlots.Release();
        }
    }

    private async Task GenerateAsync(GenerationTicket ticket, CancellationToken cancellationToken)
    {
        ticket.MarkStarted();
        Interlocked.Increment(ref _generationsInFlight);
        var started = _time.GetTimestamp();
        GenerationCompletion completion;
        try
        {
            using var timeout = new CancellationTokenSource(_generationTimeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
            var generation = await Diagnostics.StreamActivities.TraceGenerationAsync(ticket.UserId, ticket.TraceRecord, () => _writer.WriteAsync(ticket.Request, linked.Token)).ConfigureAwait(false);
            completion = new GenerationCompletion(ticket, generation, null, _time.GetElapsedTime(started));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException && cancellationToken.IsCancellationRequested)
        {
            // Shut down (or the caller gave up): nothing to apply, nobody to blame.
            completion = GenerationCompletion.SupersededBy(ticket);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Failed or timed out: the partition serves what it has, marked degraded, and the user backs off.
            completion = new GenerationCompletion(ticket, null, ex, _time.GetElapsedTime(started));
        }
        finally
        {
            Interlocked.Decrement(ref _generationsInFlight);
        }
        ticket.Complete(completion);
    }

    private async Task FeedbackLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var job in _feedback.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                await _feedbackSlots.WaitAsync(cancellationToken).ConfigureAwait(false);
                _ = Task.Run(async () =>
                {
                    try
                    {
                        await ScoreAsync(job, cancellationToken).ConfigureAwait(false);
                    }
                    finally
                    {
                        _feedbackSlots.Release();
                    }
                }, CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task ScoreAsync(FeedbackJob job, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _feedbackInFlight);
        IReadOnlyList<double>? scores = null;
        Exception? failure = null;
        try
        {
            using var timeout = new CancellationTokenSource(_generationTimeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
            // The n chains are independent: scored at once, bounded by the model client's own concurrency.
            scores = await Task.WhenAll(job.Chain.Samples.Select(s => _writer.ScoreImpressionAsync(job.Request, s.Draft, job.Item, linked.Token))).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            failure = ex;
        }
        finally
        {
            Interlocked.Decrement(ref _feedbackInFlight);
            Interlocked.Decrement(ref _feedbackPending);
        }
        job.Complete(scores, failure);
    }
}
