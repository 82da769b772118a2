namespace Coffer.Core.Restorer;

/// <summary>The counting modes of restic's <c>stats</c>.</summary>
public enum StatsMode
{
    /// <summary>Every node of every snapshot, sizes as a restore would write them (a hard-linked inode counted once per snapshot).</summary>
    RestoreSize,

    /// <summary>Nodes with distinct content lists across all snapshots, with their sizes.</summary>
    FilesByContents,

    /// <summary>Distinct blobs referenced, with their stored sizes in the packs.</summary>
    RawData,

    /// <summary>Distinct blob references per file path (of files with distinct content), with plaintext blob sizes.</summary>
    BlobsPerFile,
}
