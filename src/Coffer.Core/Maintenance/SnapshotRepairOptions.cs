namespace Coffer.Core.Maintenance;

/// <summary>How <see cref="SnapshotRepairer"/> treats the snapshots it repairs.</summary>
public sealed record SnapshotRepairOptions
{
    /// <summary>Write and delete nothing; only find what would change.</summary>
    public bool DryRun { get; init; }

    /// <summary>
    /// Delete each original snapshot once its repaired version is saved (and do not tag the new one
    /// <see cref="SnapshotRepairer.RepairedTag"/>).
    /// </summary>
    public bool Forget { get; init; }
}
