using Coffer.Core.Compression;
using Coffer.Core.Packing;
using Coffer.Core.Primitives;

namespace Coffer.Core.Archiver;

/// <summary>Everything one backup run is told (restic's <c>backup</c> options).</summary>
public sealed record BackupOptions
{
    /// <summary>Paths to back up, as given (relative paths are resolved against the working directory).</summary>
    public IReadOnlyList<string> Targets { get; init; } = [];

    /// <summary>Host recorded in the snapshot and used to choose the parent.</summary>
    public string Hostname { get; init; } = Environment.MachineName;

    /// <summary>Tags recorded in the snapshot.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Snapshot time; null means now.</summary>
    public GoTime? Time { get; init; }

    /// <summary>An explicit parent snapshot (<c>--parent</c>).</summary>
    public SnapshotId? Parent { get; init; }

    /// <summary>Read every file, ignoring any parent (<c>--force</c>).</summary>
    public bool Force { get; init; }

    /// <summary>Ignore inode numbers (and ctime) when comparing with the parent.</summary>
    public bool IgnoreInode { get; init; }

    /// <summary>Ignore ctime when comparing with the parent.</summary>
    public bool IgnoreCtime { get; init; }

    /// <summary>Write no snapshot when nothing changed since the parent.</summary>
    public bool SkipIfUnchanged { get; init; }

    /// <summary>Do everything but write to the repository.</summary>
    public bool DryRun { get; init; }

    /// <summary>Stay on the file system of each target.</summary>
    public bool OneFileSystem { get; init; }

    /// <summary>Files read at the same time (<c>--read-concurrency</c>).</summary>
    public int ReadConcurrency { get; init; } = 2;

    /// <summary>Target pack size in bytes.</summary>
    public int PackSize { get; init; } = PackLayout.DefaultPackSize;

    /// <summary>Compression of data blobs.</summary>
    public CompressionMode Compression { get; init; } = CompressionMode.Auto;

    /// <summary>Decides what is left out.</summary>
    public BackupFilter Filter { get; init; } = BackupFilter.None;

    /// <summary>Exclude patterns as given, recorded in the snapshot.</summary>
    public IReadOnlyList<string> ExcludePatterns { get; init; } = [];

    /// <summary>When set, back up this stream as one file instead of <see cref="Targets"/>.</summary>
    public StdinSource? Stdin { get; init; }

    /// <summary>
    /// Walk the targets ahead of the backup to give progress a total (files, bytes, ETA). The scan costs a
    /// second walk of the file system, so callers that show no progress turn it off.
    /// </summary>
    public bool ScanTotals { get; init; } = true;

    /// <summary>Record the access time instead of the modification time (<c>--with-atime</c>).</summary>
    public bool WithAtime { get; init; }
}
