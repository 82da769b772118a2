namespace Coffer.Core.Maintenance;

/// <summary>What happened (or, in a dry run, would happen) to one snapshot.</summary>
public enum SnapshotRepairOutcome
{
    /// <summary>Nothing was damaged: the snapshot is left alone.</summary>
    Unchanged,
    /// <summary>A repaired version was saved (and with <see cref="SnapshotRepairOptions.Forget"/> the original deleted).</summary>
    Rewritten,
    /// <summary>The root tree is unreadable, so nothing is left to keep: the snapshot file was deleted.</summary>
    RemovedEmpty,
}
