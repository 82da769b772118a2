using Coffer.Core.Primitives;

namespace Coffer.Core.Archiver;

/// <summary>The outcome of a backup: counts as restic reports them, and the snapshot written (if any).</summary>
public sealed class BackupSummary
{
    internal long FilesNewField, FilesChangedField, FilesUnmodifiedField, DirsNewField, DirsChangedField, DirsUnmodifiedField;
    internal long TotalFilesField, TotalBytesField, ErrorsField;

    public long FilesNew => FilesNewField;
    public long FilesChanged => FilesChangedField;
    public long FilesUnmodified => FilesUnmodifiedField;
    public long DirsNew => DirsNewField;
    public long DirsChanged => DirsChangedField;
    public long DirsUnmodified => DirsUnmodifiedField;
    public long TotalFilesProcessed => TotalFilesField;
    public long TotalBytesProcessed => TotalBytesField;

    /// <summary>Files or directories that could not be read (the backup is incomplete when non-zero).</summary>
    public long Errors => ErrorsField;

    public long DataBlobs { get; internal set; }
    public long TreeBlobs { get; internal set; }
    public long DataAdded { get; internal set; }
    public long DataAddedPacked { get; internal set; }

    public GoTime BackupStart { get; internal set; }
    public GoTime BackupEnd { get; internal set; }

    /// <summary>The snapshot written; null on a dry run or when skipped as unchanged.</summary>
    public SnapshotId? SnapshotId { get; internal set; }

    /// <summary>The parent used, if any.</summary>
    public SnapshotId? Parent { get; internal set; }

    /// <summary>True when --skip-if-unchanged found nothing new.</summary>
    public bool SkippedUnchanged { get; internal set; }
}
