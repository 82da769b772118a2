namespace Coffer.Core.Restorer;

/// <summary>The totals of <see cref="SnapshotStatsCollector"/>, as restic's <c>stats --json</c> names them.</summary>
/// <param name="TotalSize">Bytes, as the mode counts them.</param>
/// <param name="TotalFileCount">Nodes or files counted (0 in raw-data mode).</param>
/// <param name="TotalBlobCount">Blobs or blob references counted (0 in restore-size and files-by-contents modes).</param>
/// <param name="SnapshotsCount">Snapshots processed.</param>
public sealed record StatsTotals(long TotalSize, long TotalFileCount, long TotalBlobCount, int SnapshotsCount);
