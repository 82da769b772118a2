using Coffer.Core.Checker;
using Coffer.Core.Primitives;

namespace Coffer.Core.Maintenance;

/// <summary>What a prune will do: packs to delete, packs to repack and the blobs to carry over, and the figures.</summary>
public sealed class PrunePlan
{
    internal PrunePlan(CheckedIndex index, PruneStats stats)
    {
        Index = index;
        Stats = stats;
    }

    /// <summary>The index the plan was made from.</summary>
    public CheckedIndex Index { get; }

    /// <summary>The figures.</summary>
    public PruneStats Stats { get; }

    /// <summary>Packs no index lists: deleted first.</summary>
    public HashSet<PackId> RemoveUnreferenced { get; } = [];

    /// <summary>Packs no snapshot needs anything from: deleted after the index no longer lists them.</summary>
    public HashSet<PackId> Remove { get; } = [];

    /// <summary>Packs whose needed blobs are written to new packs; then deleted like <see cref="Remove"/>.</summary>
    public HashSet<PackId> Repack { get; } = [];

    /// <summary>Packs the index lists but the backend lacks, holding nothing needed: dropped from the index.</summary>
    public HashSet<PackId> ForgetMissing { get; } = [];

    /// <summary>The needed blobs found only in packs to repack (each to be written once); empty when none are repacked.</summary>
    public HashSet<BlobHandle> KeepBlobs { get; } = [];
}
