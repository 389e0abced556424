using Microsoft.Extensions.Time.Testing;

namespace TrackRec.Streaming.Tests;

/// <summary>
/// <see cref="FakeTimeProvider"/> that also counts the timers created through it and not yet disposed, so a
/// test can show that a timeout's timer is released once the work it guarded has finished.
/// </summary>
public sealed class TrackedFakeTimeProvider : FakeTimeProvider
{
    private int _liveTimers;

    /// <summary>Starts at 2026-01-01 UTC, the epoch the tests' event times are written against.</summary>
    public TrackedFakeTimeProvider()
        : base(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero))
    {
    }

    /// <summary>Timers created and not disposed.</summary>
    public int ActiveTimers => Volatile.Read(ref _liveTimers);

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        Interlocked.Increment(ref _liveTimers);
        return new CountedTimer(base.CreateTimer(callback, state, dueTime, period), this);
    }

    private sealed class CountedTimer(ITimer inner, TrackedFakeTimeProvider owner) : ITimer
    {
        private int _disposed;

        public bool Change(TimeSpan dueTime, TimeSpan period) => inner.Change(dueTime, period);

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
                Interlocked.Decrement(ref owner._liveTimers);
            inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
