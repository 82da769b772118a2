namespace Coffer.Core.Restorer;

/// <summary>The counters of a finished restore (restic 0.17's restore <c>summary</c>, plus errors).</summary>
public sealed record RestoreSummary
{
    /// <summary>Items in the selection: files, directories, links and special files.</summary>
    public long TotalItems { get; init; }

    /// <summary>Items created or updated.</summary>
    public long ItemsRestored { get; init; }

    /// <summary>Items that already matched or were left alone.</summary>
    public long ItemsSkipped { get; init; }

    /// <summary>Entries removed by <c>--delete</c>.</summary>
    public long ItemsDeleted { get; init; }

    /// <summary>Content bytes of all selected files.</summary>
    public long TotalBytes { get; init; }

    /// <summary>Content bytes written.</summary>
    public long BytesRestored { get; init; }

    /// <summary>Content bytes already present and not written.</summary>
    public long BytesSkipped { get; init; }

    /// <summary>Problems reported (each also went to <see cref="IRestoreProgress.Error"/>).</summary>
    public long Errors { get; init; }

    /// <summary>Files read back by <c>--verify</c>.</summary>
    public long FilesVerified { get; init; }

    /// <summary>True when nothing was written (<c>--dry-run</c>).</summary>
    public bool DryRun { get; init; }
}
