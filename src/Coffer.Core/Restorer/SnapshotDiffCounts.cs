namespace Coffer.Core.Restorer;

/// <summary>One side of restic's diff statistics: added or removed nodes by kind, blobs by type, and blob bytes (plaintext).</summary>
public sealed class SnapshotDiffCounts
{
    /// <summary>Regular files.</summary>
    public long Files { get; internal set; }

    /// <summary>Directories.</summary>
    public long Dirs { get; internal set; }

    /// <summary>Everything else (symlinks, devices, fifos...).</summary>
    public long Others { get; internal set; }

    /// <summary>Data blobs only on this side.</summary>
    public long DataBlobs { get; internal set; }

    /// <summary>Tree blobs only on this side.</summary>
    public long TreeBlobs { get; internal set; }

    /// <summary>Plaintext bytes of those blobs.</summary>
    public long Bytes { get; internal set; }
}
