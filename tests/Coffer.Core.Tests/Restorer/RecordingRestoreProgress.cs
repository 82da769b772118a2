using System.Collections.Concurrent;
using Coffer.Core.Restorer;

namespace Coffer.Core.Tests.Restorer;

/// <summary>Collects what a restore reports.</summary>
internal sealed class RecordingRestoreProgress : IRestoreProgress
{
    public ConcurrentDictionary<string, RestoreAction> Actions { get; } = new(StringComparer.Ordinal);
    public ConcurrentQueue<(string Path, string Message)> Errors { get; } = new();
    public long Restored;
    public long Skipped;
    public long TotalItems;
    public long TotalBytes;

    public void Planned(long totalItems, long totalBytes)
    {
        TotalItems = totalItems;
        TotalBytes = totalBytes;
    }

    public void BytesRestored(long bytes) => Interlocked.Add(ref Restored, bytes);

    public void BytesSkipped(long bytes) => Interlocked.Add(ref Skipped, bytes);

    public void ItemDone(string path, RestoreAction action, long size) => Actions[path] = action;

    public void Error(string path, string message) => Errors.Enqueue((path, message));

    public string ErrorText => string.Join("\n", Errors.Select(e => e.Message));
}
