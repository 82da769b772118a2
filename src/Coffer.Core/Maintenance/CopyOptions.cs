using Coffer.Core.Repository;

namespace Coffer.Core.Maintenance;

/// <summary>How <see cref="SnapshotCopier"/> reads from the source and writes to the destination.</summary>
public sealed record CopyOptions
{
    /// <summary>How the destination packs and uploads the copied blobs (pack size, compression, upload concurrency).</summary>
    public UploadOptions Upload { get; init; } = new();

    /// <summary>Source packs read at the same time.</summary>
    public int PackReaders { get; init; } = 4;

    /// <summary>Source trees loaded at the same time while walking a snapshot.</summary>
    public int TreeLoaders { get; init; } = 8;

    /// <summary>
    /// Largest ranged read from a source pack in bytes: neighbouring needed blobs are read together up to this
    /// size (a single larger blob is read alone). Bounds memory at about <see cref="PackReaders"/> reads.
    /// </summary>
    public int MaxReadBytes { get; init; } = 8 << 20;

    /// <summary>Unneeded bytes between two needed blobs that are still read through rather than skipped by a new request.</summary>
    public int MaxReadGap { get; init; } = 256 << 10;

    /// <summary>
    /// Stored bytes copied after which the current upload session is committed and the snapshots copied so far
    /// are saved. Several small snapshots share packs; an interrupted run loses at most about this much work.
    /// </summary>
    public long BatchBytes { get; init; } = 1L << 30;
}
