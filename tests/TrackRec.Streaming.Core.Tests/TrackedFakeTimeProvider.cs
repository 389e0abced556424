using Microsoft.Extensions.Time.Testing;

namespace TrackRec.Streaming.Tests;

/// <summary>
/// <see cref="FakeTimeProvider"/> that also counts its armed timers (created, due at a finite time, not yet fired
/// if one-shot, not disposed), so a test can wait until code under test has armed a timer before advancing the
/// clock, and can show that a timeout's timer is released once the work it guarded has finished.
/// </summary>
public sealed class TrackedFakeTimeProvider : FakeTimeProvider
{
    private int _armed;

    /// <summary>Starts at 2026-01-01 UTC, the epoch the tests' event times are written against.</summary>
    public TrackedFakeTimeProvider()
        : base(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero))
    {
    }

    /// <summary>Timers that are armed now.</summary>
    public int ActiveTimers => Volatile.Read(ref _armed);

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var counted = new CountedTimer(this);
        // Armed before the inner timer exists: a timer due now may fire inside CreateTimer.
        counted.Arm(dueTime, period);
        counted.Inner = base.CreateTimer(s => { counted.Fired(); callback(s); }, state, dueTime, period);
        return counted;
    }

    private sealed class CountedTimer(TrackedFakeTimeProvider owner) : ITimer
    {
        private readonly Lock _gate = new();
        private bool _armed;
        private bool _oneShot;
        private bool _disposed;

        public ITimer? Inner { get; set; }

        public void Arm(TimeSpan dueTime, TimeSpan period)
        {
            lock (_gate)
            {
                if (_disposed)
                    return;
                _oneShot = period == Timeout.InfiniteTimeSpan || period == TimeSpan.Zero;
                Set(dueTime != Timeout.InfiniteTimeSpan);
            }
        }

        public void Fired()
        {
            lock (_gate)
            {
                if (_oneShot)
                    Set(false);
            }
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            Arm(dueTime, period);
            return Inner!.Change(dueTime, period);
        }

        public void Dispose()
        {
            lock (_gate)
            {
                Set(false);
                _disposed = true;
            }

            Inner?.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }

        // Callers hold _gate.
        private void Set(bool armed)
        {
            if (armed == _armed)
                return;
            _armed = armed;
            if (armed)
                Interlocked.Increment(ref owner._armed);
            else
                Interlocked.Decrement(ref owner._armed);
        }
    }
}
