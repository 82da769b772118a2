namespace Coffer.Core.Restorer;

/// <summary>The totals of a diff, as restic's <c>statistics</c> message holds them.</summary>
public sealed class SnapshotDiffStatistics
{
    /// <summary>Files present on both sides whose content differs.</summary>
    public long ChangedFiles { get; internal set; }

    /// <summary>What the second snapshot has that the first does not.</summary>
    public SnapshotDiffCounts Added { get; } = new();

    /// <summary>What the first snapshot has that the second does not.</summary>
    public SnapshotDiffCounts Removed { get; } = new();

    /// <summary>Blobs whose size is not in the index (restic warns about each); empty normally.</summary>
    public List<string> MissingBlobs { get; } = [];
}
