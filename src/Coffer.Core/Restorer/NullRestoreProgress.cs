namespace Coffer.Core.Restorer;

/// <summary>A progress receiver that ignores everything.</summary>
public sealed class NullRestoreProgress : IRestoreProgress
{
    /// <summary>The shared instance.</summary>
    public static NullRestoreProgress Instance { get; } = new();

    /// <inheritdoc />
    public void Planned(long totalItems, long totalBytes)
    {
    }

    /// <inheritdoc />
    public void BytesRestored(long bytes)
    {
    }

    /// <inheritdoc />
    public void BytesSkipped(long bytes)
    {
    }

    /// <inheritdoc />
    public void ItemDone(string path, RestoreAction action, long size)
    {
    }

    /// <inheritdoc />
    public void Error(string path, string message)
    {
    }
}
