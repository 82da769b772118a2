using Coffer.Core.Primitives;

namespace Coffer.Core.Maintenance;

/// <summary>What an index rebuild found and did.</summary>
public sealed class IndexRebuildResult
{
    /// <summary>Index files that were there before (all of them are deleted by the rebuild).</summary>
    public int OldIndexFiles { get; internal set; }

    /// <summary>Old index files that could not be read or parsed; their entries were not used.</summary>
    public List<Id> InvalidIndexFiles { get; } = [];

    /// <summary>Packs in the backend.</summary>
    public int StoredPacks { get; internal set; }

    /// <summary>Packs whose entries were taken from the old index unchanged.</summary>
    public int PacksKept { get; internal set; }

    /// <summary>Packs that no index described and whose header was read.</summary>
    public int PacksAdded { get; internal set; }

    /// <summary>Packs whose size disagreed with the old index (or all, with read-all-packs) and whose header was read.</summary>
    public int PacksReindexed { get; internal set; }

    /// <summary>Packs the old index described that do not exist; their entries were dropped.</summary>
    public List<PackId> MissingPacks { get; } = [];

    /// <summary>Packs whose header could not be read: left in place, not in the new index.</summary>
    public List<PackId> UnreadablePacks { get; } = [];

    /// <summary>The index files written.</summary>
    public List<Id> WrittenIndexFiles { get; } = [];

    /// <summary>Blob entries in the new index.</summary>
    public long IndexedBlobs { get; internal set; }
}
