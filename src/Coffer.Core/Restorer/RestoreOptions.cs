namespace Coffer.Core.Restorer;

/// <summary>What to restore where, and how. Immutable; safe to share.</summary>
public sealed record RestoreOptions
{
    /// <summary>The directory to restore into (created when missing). Nothing outside it is ever written.</summary>
    public required string Target { get; init; }

    /// <summary>Which paths are restored (include and exclude patterns); everything by default.</summary>
    public RestoreSelector Selector { get; init; } = RestoreSelector.All;

    /// <summary>Leave all-zero runs of file content unwritten, as holes.</summary>
    public bool Sparse { get; init; }

    /// <summary>What to do with files that already exist in the target.</summary>
    public OverwriteMode Overwrite { get; init; } = OverwriteMode.Always;

    /// <summary>Remove target entries that are not in the snapshot (only among selected paths).</summary>
    public bool Delete { get; init; }

    /// <summary>Plan and report only; write nothing.</summary>
    public bool DryRun { get; init; }

    /// <summary>After restoring, read every restored file back and check it against the snapshot.</summary>
    public bool Verify { get; init; }

    /// <summary>
    /// Set owners from the node's user and group names where this machine knows them (else from the ids).
    /// </summary>
    public bool OwnerByName { get; init; }

    /// <summary>Set owners at all; null means "when running as root", as restic does.</summary>
    public bool? RestoreOwnership { get; init; }

    /// <summary>Packs read at the same time.</summary>
    public int PackReaders { get; init; } = Math.Clamp(Environment.ProcessorCount + 2, 2, 8);

    /// <summary>Largest single ranged read from a pack; adjacent needed blobs are read together up to this size.</summary>
    public int MaxReadSize { get; init; } = 4 * 1024 * 1024;
}
