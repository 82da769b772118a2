using Coffer.Core.Compression;
using Coffer.Core.Packing;

namespace Coffer.Core.Repository;

/// <summary>How an <see cref="UploadSession"/> packs and uploads blobs.</summary>
public sealed record UploadOptions
{
    /// <summary>Target pack size in bytes (restic: 16 MiB; <c>--pack-size</c> 4–128 MiB).</summary>
    public int PackSize { get; init; } = PackLayout.DefaultPackSize;

    /// <summary>Packs uploaded at the same time.</summary>
    public int UploadConcurrency { get; init; } = 1;

    /// <summary>Compression of data blobs (trees are always compressed in format 2).</summary>
    public CompressionMode Compression { get; init; } = CompressionMode.Auto;

    /// <summary>Blob entries after which an index file is written while the session runs.</summary>
    public int IndexFlushBlobs { get; init; } = 150_000;

    /// <summary>
    /// Repacking: blobs are stored again although the repository's index lists them (in packs about to be
    /// removed); only blobs already saved in this session are skipped.
    /// </summary>
    public bool Repack { get; init; }

    /// <summary>When true nothing is written: blobs are counted as if stored.</summary>
    public bool DryRun { get; init; }
}
