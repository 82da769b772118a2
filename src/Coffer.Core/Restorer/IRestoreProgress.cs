namespace Coffer.Core.Restorer;

/// <summary>
/// Receives restore progress. Called from several threads at once; implementations must be thread-safe and
/// quick. Paths are slash-separated from the restored root (<c>/dir/file</c>), for display.
/// </summary>
public interface IRestoreProgress
{
    /// <summary>The totals once planning is done: items (files, directories, links, special files) and file bytes.</summary>
    void Planned(long totalItems, long totalBytes);

    /// <summary>Content bytes written (or, in a dry run, that would be written).</summary>
    void BytesRestored(long bytes);

    /// <summary>Content bytes already present in the target and not written.</summary>
    void BytesSkipped(long bytes);

    /// <summary>An item is finished. <paramref name="size"/> is the file size (0 for anything else).</summary>
    void ItemDone(string path, RestoreAction action, long size);

    /// <summary>A problem with one item; the restore goes on with the others.</summary>
    void Error(string path, string message);
}
