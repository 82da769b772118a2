using Coffer.Core.Primitives;

namespace Coffer.Core.Restorer;

/// <summary>
/// The blob and tree ids <see cref="SnapshotFinder.FindObjectsAsync"/> looks for, each given as the full
/// 64-digit id or its 8-digit short form (as restic's <c>find --blob/--tree</c> accepts them). A short form is
/// replaced by the full id when first met, which <see cref="ResolvedBlobs"/> and <see cref="ResolvedTrees"/>
/// then report. Not thread-safe.
/// </summary>
public sealed class FinderObjectQuery
{
    private readonly HashSet<string> _blobs;
    private readonly HashSet<string> _trees;

    /// <summary>Creates the query; ids are compared lower-cased.</summary>
    public FinderObjectQuery(IEnumerable<string> blobs, IEnumerable<string> trees)
    {
        _blobs = new HashSet<string>(blobs.Select(b => b.ToLowerInvariant()), StringComparer.Ordinal);
        _trees = new HashSet<string>(trees.Select(t => t.ToLowerInvariant()), StringComparer.Ordinal);
    }

    /// <summary>True when blob ids are wanted.</summary>
    public bool WantsBlobs => _blobs.Count > 0;

    /// <summary>True when tree ids are wanted.</summary>
    public bool WantsTrees => _trees.Count > 0;

    /// <summary>The wanted blob ids: full ids, and short forms not met yet.</summary>
    public IReadOnlyCollection<string> ResolvedBlobs => _blobs;

    /// <summary>The wanted tree ids: full ids, and short forms not met yet.</summary>
    public IReadOnlyCollection<string> ResolvedTrees => _trees;

    /// <summary>Adds a wanted blob id (e.g. every blob of a pack).</summary>
    public void AddBlob(BlobId id) => _blobs.Add(id.Value.ToString());

    internal bool MatchBlob(BlobId id) => Match(_blobs, id);

    internal bool MatchTree(BlobId id) => Match(_trees, id);

    private static bool Match(HashSet<string> wanted, BlobId id)
    {
        var full = id.Value.ToString();
        if (wanted.Contains(full))
        {
            return true;
        }
        if (wanted.Remove(full[..8]))
        {
            wanted.Add(full);
            return true;
        }
        return false;
    }
}
