using System.Collections.Concurrent;

namespace Coffer.Testing;

/// <summary>The timer of <see cref="ImmediateTimeProvider"/>: each finite due time fires the callback once, right away.</summary>
internal sealed class ImmediateTimer : ITimer
{
    private readonly TimerCallback _callback;
    private readonly object? _state;
    private readonly ConcurrentQueue<TimeSpan> _requested;
    private volatile bool _disposed;

    public ImmediateTimer(TimerCallback callback, object? state, ConcurrentQueue<TimeSpan> requested)
    {
        _callback = callback;
        _state = state;
        _requested = requested;
    }

    public bool Change(TimeSpan dueTime, TimeSpan period)
    {
        if (_disposed)
        {
            return false;
        }
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            _requested.Enqueue(dueTime);
            ThreadPool.QueueUserWorkItem(_ =>
            {
                if (!_disposed)
                {
                    _callback(_state);
                }
            });
        }
        return true;
    }

    public void Dispose() => _disposed = true;

    public ValueTask DisposeAsync()
    {
        _disposed = true;
        return ValueTask.CompletedTask;
    }
}
