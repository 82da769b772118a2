namespace Coffer.Core.Maintenance;

/// <summary>How <see cref="IndexRebuilder"/> rebuilds the index.</summary>
public sealed record IndexRebuildOptions
{
    /// <summary>Ignore the existing index files and read every pack's header (restic <c>--read-all-packs</c>).</summary>
    public bool ReadAllPacks { get; init; }

    /// <summary>Pack headers read at the same time.</summary>
    public int HeaderReaders { get; init; } = 4;
}
