namespace Coffer.Core.Restorer;

/// <summary>Counts what a restore did and forwards it to the caller's progress. Thread-safe.</summary>
internal sealed class RestoreCounters(IRestoreProgress progress)
{
    private long _totalItems, _totalBytes, _restored, _skipped, _deleted, _bytesRestored, _bytesSkipped, _errors, _verified;

    public IRestoreProgress Progress { get; } = progress;

    public long Errors => Interlocked.Read(ref _errors);

    public void Planned(long items, long bytes)
    {
        _totalItems = items;
        _totalBytes = bytes;
        Progress.Planned(items, bytes);
    }

    public void BytesRestored(long bytes)
    {
        Interlocked.Add(ref _bytesRestored, bytes);
        Progress.BytesRestored(bytes);
    }

    public void BytesSkipped(long bytes)
    {
        if (bytes > 0)
        {
            Interlocked.Add(ref _bytesSkipped, bytes);
            Progress.BytesSkipped(bytes);
        }
    }

    public void Done(string path, RestoreAction action, long size)
    {
        switch (action)
        {
            case RestoreAction.Restored or RestoreAction.Updated:
                Interlocked.Increment(ref _restored);
                break;
            case RestoreAction.Unchanged:
                Interlocked.Increment(ref _skipped);
                break;
            default:
                Interlocked.Increment(ref _deleted);
                break;
        }
        Progress.ItemDone(path, action, size);
    }

    public void Error(string path, string message)
    {
        Interlocked.Increment(ref _errors);
        Progress.Error(path, message);
    }

    public void Verified() => Interlocked.Increment(ref _verified);

    public RestoreSummary Summary(bool dryRun) => new()
    {
        TotalItems = _totalItems,
        TotalBytes = _totalBytes,
        ItemsRestored = Interlocked.Read(ref _restored),
        ItemsSkipped = Interlocked.Read(ref _skipped),
        ItemsDeleted = Interlocked.Read(ref _deleted),
        BytesRestored = Interlocked.Read(ref _bytesRestored),
        BytesSkipped = Interlocked.Read(ref _bytesSkipped),
        Errors = Interlocked.Read(ref _errors),
        FilesVerified = Interlocked.Read(ref _verified),
        DryRun = dryRun,
    };
}
