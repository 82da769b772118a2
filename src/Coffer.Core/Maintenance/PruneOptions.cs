using Coffer.Core.Primitives;

namespace Coffer.Core.Maintenance;

/// <summary>What a prune may do (restic's <c>prune</c> options).</summary>
public sealed record PruneOptions
{
    /// <summary>Plan and report only; nothing is written or deleted.</summary>
    public bool DryRun { get; init; }

    /// <summary>Unused data tolerated after the prune (<c>--max-unused</c>).</summary>
    public MaxUnused MaxUnused { get; init; } = MaxUnused.Default;

    /// <summary>Stop choosing packs to repack once this many bytes are chosen (<c>--max-repack-size</c>).</summary>
    public long MaxRepackBytes { get; init; } = long.MaxValue;

    /// <summary>
    /// Packs below this size count as small (<c>--repack-smaller-than</c>); when null, 80 % of the larger of
    /// 4 MiB and the 3rd percentile of pack sizes.
    /// </summary>
    public long? SmallPackBytes { get; init; }

    /// <summary>Packs below 80 % of the default pack size count as small (<c>--repack-small</c>); ten or more small packs are repacked.</summary>
    public bool RepackSmall { get; init; }

    /// <summary>Repack tree packs only; data packs are kept as they are (<c>--repack-cacheable-only</c>).</summary>
    public bool RepackCacheableOnly { get; init; }

    /// <summary>Repack every pack holding uncompressed blobs, compressing them (<c>--repack-uncompressed</c>).</summary>
    public bool RepackUncompressed { get; init; }

    /// <summary>Snapshots whose data counts as unused (being forgotten in the same run, e.g. a dry-run forget --prune).</summary>
    public IReadOnlySet<SnapshotId> IgnoreSnapshots { get; init; } = new HashSet<SnapshotId>();
}
