using Coffer.Core.Model;
using Coffer.Core.Primitives;

namespace Coffer.Core.Maintenance;

/// <summary>The snapshots a repair works on, and the unreadable snapshot files it removed (or would) on the way.</summary>
public sealed record SnapshotRepairSelection(List<Snapshot> Snapshots, List<SnapshotId> UnreadableRemoved);
