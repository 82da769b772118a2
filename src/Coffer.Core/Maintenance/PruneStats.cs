namespace Coffer.Core.Maintenance;

/// <summary>
/// A prune's figures, with restic's meanings: blob counts and sizes (stored bytes, headers counted as used)
/// that are used, duplicate, unused, to repack and to remove; pack counts by state and action.
/// </summary>
public sealed class PruneStats
{
#pragma warning disable CS1591 // The names say it; see the class comment.
    public long BlobsUsed { get; set; }
    public long BlobsDuplicate { get; set; }
    public long BlobsUnused { get; set; }
    public long BlobsRepack { get; set; }
    public long BlobsRepackRemove { get; set; }
    public long BlobsRemove { get; set; }

    public long SizeUsed { get; set; }
    public long SizeDuplicate { get; set; }
    public long SizeUnused { get; set; }
    public long SizeUnreferenced { get; set; }
    public long SizeUncompressed { get; set; }
    public long SizeRepack { get; set; }
    public long SizeRepackRemove { get; set; }
    public long SizeRemove { get; set; }

    public long PacksUsed { get; set; }
    public long PacksUnused { get; set; }
    public long PacksPartlyUsed { get; set; }
    public long PacksUnreferenced { get; set; }
    public long PacksKeep { get; set; }
    public long PacksRepack { get; set; }
    public long PacksRemove { get; set; }
#pragma warning restore CS1591

    /// <summary>All blob entries of the index.</summary>
    public long BlobsTotal => BlobsUsed + BlobsUnused + BlobsDuplicate;

    /// <summary>Blob entries the prune removes (whole packs and repacked leftovers).</summary>
    public long BlobsRemoveTotal => BlobsRemove + BlobsRepackRemove;

    /// <summary>Blob entries left afterwards.</summary>
    public long BlobsRemaining => BlobsTotal - BlobsRemoveTotal;

    /// <summary>All pack bytes, indexed or not.</summary>
    public long SizeTotal => SizeUsed + SizeDuplicate + SizeUnused + SizeUnreferenced;

    /// <summary>Bytes the prune frees.</summary>
    public long SizeRemoveTotal => SizeRemove + SizeRepackRemove + SizeUnreferenced;

    /// <summary>Bytes left afterwards.</summary>
    public long SizeRemaining => SizeTotal - SizeRemoveTotal;

    /// <summary>Unused bytes left afterwards.</summary>
    public long SizeRemainingUnused => SizeDuplicate + SizeUnused - SizeRemove - SizeRepackRemove;

    /// <summary>All packs.</summary>
    public long PacksTotal => PacksUsed + PacksPartlyUsed + PacksUnused + PacksUnreferenced;

    /// <summary>Packs deleted (unused, repacked, unreferenced).</summary>
    public long PacksRemoveTotal => PacksUnreferenced + PacksRemove;
}
