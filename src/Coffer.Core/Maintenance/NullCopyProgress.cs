using Coffer.Core.Model;
using Coffer.Core.Primitives;

namespace Coffer.Core.Maintenance;

/// <summary>An <see cref="ICopyProgress"/> that ignores everything.</summary>
public sealed class NullCopyProgress : ICopyProgress
{
    /// <summary>The shared instance.</summary>
    public static NullCopyProgress Instance { get; } = new();

    /// <inheritdoc />
    public void SnapshotSkipped(Snapshot source, Snapshot existingCopy)
    {
    }

    /// <inheritdoc />
    public void SnapshotStarted(Snapshot source)
    {
    }

    /// <inheritdoc />
    public void BlobsFound(Snapshot source, long blobs, long storedBytes, int packs)
    {
    }

    /// <inheritdoc />
    public void PackCopied(int done, int total)
    {
    }

    /// <inheritdoc />
    public void SnapshotSaved(Snapshot source, SnapshotId copy)
    {
    }
}
