using Coffer.Core.Model;
using Coffer.Core.Primitives;

namespace Coffer.Core.Maintenance;

/// <summary>The repair of one snapshot.</summary>
public sealed record SnapshotRepair
{
    /// <summary>The snapshot as it was.</summary>
    public required Snapshot Snapshot { get; init; }

    /// <summary>The changes, in walk order (a tree shared with a snapshot repaired before in the same run is not reported again).</summary>
    public required IReadOnlyList<NodeRepair> Repairs { get; init; }

    /// <summary>What was done with the snapshot.</summary>
    public required SnapshotRepairOutcome Outcome { get; init; }

    /// <summary>The repaired snapshot's id; null when none was saved (unchanged, removed, or a dry run).</summary>
    public SnapshotId? NewId { get; init; }

    /// <summary>True when the original snapshot file was deleted (or, in a dry run, would be).</summary>
    public bool OriginalRemoved { get; init; }
}
