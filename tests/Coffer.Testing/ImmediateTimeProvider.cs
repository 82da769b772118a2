using System.Collections.Concurrent;

namespace Coffer.Testing;

/// <summary>
/// A <see cref="TimeProvider"/> whose timers fire at once (on the thread pool) whatever their due time,
/// and which records every due time asked for. Lets tests of waiting code (retries, backoff) run
/// instantly while still checking the waits.
/// </summary>
public sealed class ImmediateTimeProvider : TimeProvider
{
    private readonly ConcurrentQueue<TimeSpan> _requested = new();

    /// <summary>Every finite due time requested so far, in order.</summary>
    public IReadOnlyList<TimeSpan> RequestedDelays => [.. _requested];

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ImmediateTimer(callback, state, _requested);
        timer.Change(dueTime, period);
        return timer;
    }
}
