using Coffer.Core.Packing;
using Coffer.Core.Primitives;

namespace Coffer.Core.Maintenance;

/// <summary>What one snapshot needs copied: the tree blobs already saved during the walk, and the data blobs to read per source pack.</summary>
internal sealed class CopyWork
{
    /// <summary>Needed data blobs by source pack (one copy each, as the source index gives it).</summary>
    public Dictionary<PackId, List<PackedBlob>> DataByPack { get; } = [];

    /// <summary>Tree blobs handed to the upload session during the walk.</summary>
    public long TreeBlobs { get; set; }

    /// <summary>Stored (source) bytes of those trees.</summary>
    public long TreeBytes { get; set; }

    /// <summary>Data blobs to copy.</summary>
    public long DataBlobs { get; set; }

    /// <summary>Stored (source) bytes of those data blobs.</summary>
    public long DataBytes { get; set; }
}
