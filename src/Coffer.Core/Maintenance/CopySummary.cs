using Coffer.Core.Primitives;

namespace Coffer.Core.Maintenance;

/// <summary>What one <see cref="SnapshotCopier"/> run did.</summary>
public sealed class CopySummary
{
    /// <summary>(source id, id of the new copy) for every snapshot copied, in the order they were saved.</summary>
    public List<(SnapshotId Source, SnapshotId Copy)> Copied { get; } = [];

    /// <summary>(source id, id of the copy found in the destination) for every snapshot skipped.</summary>
    public List<(SnapshotId Source, SnapshotId ExistingCopy)> Skipped { get; } = [];

    /// <summary>Data blobs added to the destination.</summary>
    public long DataBlobs { get; internal set; }

    /// <summary>Tree blobs added to the destination.</summary>
    public long TreeBlobs { get; internal set; }

    /// <summary>Plaintext bytes of the blobs added.</summary>
    public long DataAdded { get; internal set; }

    /// <summary>Bytes the added blobs take in the destination (compressed and encrypted).</summary>
    public long DataAddedPacked { get; internal set; }

    /// <summary>Pack files written to the destination.</summary>
    public long PacksWritten { get; internal set; }

    /// <summary>Source packs read for data blobs.</summary>
    public long PacksRead { get; internal set; }
}
