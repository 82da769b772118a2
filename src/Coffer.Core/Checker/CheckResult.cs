namespace Coffer.Core.Checker;

/// <summary>The outcome of <see cref="RepositoryChecker.CheckAsync"/>: how many errors and hints, and what was looked at.</summary>
public sealed class CheckResult
{
    /// <summary>Findings of severity <see cref="CheckSeverity.Error"/>; zero means the repository passed.</summary>
    public int Errors { get; internal set; }

    /// <summary>Findings of severity <see cref="CheckSeverity.Hint"/>.</summary>
    public int Hints { get; internal set; }

    /// <summary>True when no error was found.</summary>
    public bool IsHealthy => Errors == 0;

    /// <summary>Index files loaded (including those that failed).</summary>
    public int IndexFiles { get; internal set; }

    /// <summary>Distinct packs the index refers to.</summary>
    public int IndexedPacks { get; internal set; }

    /// <summary>Pack files found in the repository.</summary>
    public int StoredPacks { get; internal set; }

    /// <summary>Pack files no index refers to (not an error: a backup running alongside, or an interrupted one, leaves them).</summary>
    public int UnreferencedPacks { get; internal set; }

    /// <summary>Blobs stored in more than one pack.</summary>
    public int DuplicateBlobs { get; internal set; }

    /// <summary>Snapshot files found (including those that failed).</summary>
    public int Snapshots { get; internal set; }

    /// <summary>Distinct trees walked.</summary>
    public int Trees { get; internal set; }

    /// <summary>Distinct indexed blobs (data and tree) that no snapshot uses.</summary>
    public int UnusedBlobs { get; internal set; }

    /// <summary>Packs read in the read-data step.</summary>
    public int PacksRead { get; internal set; }

    /// <summary>Bytes read in the read-data step.</summary>
    public long BytesRead { get; internal set; }
}
