using Coffer.Core.Primitives;

namespace Coffer.Core.Maintenance;

/// <summary>What a prune counted in one indexed pack: used and unused blobs and bytes, the blob type, compression.</summary>
internal sealed class PackTally
{
    public long UsedBlobs;
    public long UnusedBlobs;
    public long DuplicateBlobs;
    public long UsedSize;
    public long UnusedSize;

    /// <summary>The pack's blob type; null until a blob is seen.</summary>
    public BlobType? Type;

    /// <summary>The pack holds blobs of both types.</summary>
    public bool Mixed;

    /// <summary>Some blob in the pack is stored uncompressed.</summary>
    public bool Uncompressed;

    /// <summary>Set when chosen: the uncompressed blobs must be compressed while repacking.</summary>
    public bool MustCompress;

    public long Size => UsedSize + UnusedSize;

    /// <summary>True for a pack of tree blobs only (restic calls these cacheable).</summary>
    public bool IsTreePack => !Mixed && Type == BlobType.Tree;

    /// <summary>True for a pack of data blobs only.</summary>
    public bool IsDataPack => !Mixed && Type == BlobType.Data;
}
