namespace Coffer.Core.Compression;

/// <summary>restic's <c>--compression</c> setting for repositories of format version 2.</summary>
public enum CompressionMode
{
    /// <summary>Compress everything at a fast default level (zstd level 3).</summary>
    Auto,

    /// <summary>
    /// Store data blobs uncompressed. Tree blobs and unpacked files (index, snapshots, locks) are still compressed,
    /// at the <see cref="Auto"/> level.
    /// </summary>
    Off,

    /// <summary>Compress everything at a high level (zstd level 11): smaller, several times slower.</summary>
    Max,
}
