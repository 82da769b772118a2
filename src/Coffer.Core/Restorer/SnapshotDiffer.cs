using System.Text;
using Coffer.Core.Model;
using Coffer.Core.Primitives;

namespace Coffer.Core.Restorer;

/// <summary>
/// restic's <c>diff</c> of two trees: changes in name order, depth first, and blob statistics. Directories
/// with the same subtree id on both sides are not walked for changes. The statistics count the blobs only one
/// side references, minus those inside unchanged subtrees (as restic counts them); the unchanged subtrees are
/// read for that only when some blob is still in question. Not thread-safe: one comparison per instance.
/// </summary>
public sealed class SnapshotDiffer(Repository.Repository repository, bool showMetadata)
{
    private readonly HashSet<BlobHandle> _before = [];
    private readonly HashSet<BlobHandle> _after = [];
    private readonly HashSet<BlobId> _commonTrees = [];
    private SnapshotDiffStatistics _stats = new();
    private Action<SnapshotDiffChange> _onChange = _ => { };

    /// <summary>
    /// The tree of <paramref name="snapshot"/> at <paramref name="subpath"/> (empty or <c>/</c>: the root).
    /// Throws <see cref="CofferException"/> when the path is missing or not a directory.
    /// </summary>
    public static async Task<BlobId> TreeAtAsync(Repository.Repository repository, Snapshot snapshot, string subpath, CancellationToken cancellationToken)
    {
        var tree = snapshot.Tree;
        var walked = new StringBuilder();
        foreach (var part in subpath.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            walked.Append('/').Append(part);
            var listing = await repository.LoadTreeAsync(tree, cancellationToken).ConfigureAwait(false);
            var node = listing.Find(part) ?? throw new CofferException($"path \"{walked}\" not found in snapshot {snapshot.Id?.Value.ToShortString()}");
            tree = node.Type == NodeType.Dir && node.Subtree is { } sub ? sub : throw new CofferException($"path \"{walked}\" in snapshot {snapshot.Id?.Value.ToShortString()} is not a directory");
        }
        return tree;
    }

    /// <summary>
    /// Compares the trees <paramref name="first"/> and <paramref name="second"/>, reporting each change to
    /// <paramref name="onChange"/> as it is found, and returns the statistics.
    /// </summary>
    public async Task<SnapshotDiffStatistics> CompareAsync(BlobId first, BlobId second, Action<SnapshotDiffChange> onChange, CancellationToken cancellationToken)
    {
        _before.Clear();
        _after.Clear();
        _commonTrees.Clear();
        _stats = new SnapshotDiffStatistics();
        _onChange = onChange;
        _before.Add(new BlobHandle(first, BlobType.Tree));
        _after.Add(new BlobHandle(second, BlobType.Tree));
        if (first == second)
        {
            _commonTrees.Add(first);
        }
        else
        {
            await DiffTreeAsync([], first, second, cancellationToken).ConfigureAwait(false);
        }
        await CountBlobsAsync(cancellationToken).ConfigureAwait(false);
        return _stats;
    }

    private async Task DiffTreeAsync(byte[] prefix, BlobId first, BlobId second, CancellationToken cancellationToken)
    {
        var tree1 = await repository.LoadTreeAsync(first, cancellationToken).ConfigureAwait(false);
        var tree2 = await repository.LoadTreeAsync(second, cancellationToken).ConfigureAwait(false);
        var nodes1 = ByName(tree1);
        var nodes2 = ByName(tree2);
        var names = nodes1.Keys.Union(nodes2.Keys).Order(StringComparer.Ordinal).ToList();
        foreach (var key in names)
        {
            var has1 = nodes1.TryGetValue(key, out var node1);
            var has2 = nodes2.TryGetValue(key, out var node2);
            AddBlobs(_before, node1);
            AddBlobs(_after, node2);
            if (has1 && has2)
            {
                await CompareNodesAsync(prefix, node1!, node2!, cancellationToken).ConfigureAwait(false);
            }
            else if (has1)
            {
                await ReportSideAsync(prefix, node1!, "-", _stats.Removed, _before, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await ReportSideAsync(prefix, node2!, "+", _stats.Added, _after, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task CompareNodesAsync(byte[] prefix, Node node1, Node node2, CancellationToken cancellationToken)
    {
        var path = Join(prefix, node1.Name);
        var modifier = node1.Type != node2.Type ? "T" : "";
        if (node1.Type == NodeType.File && node2.Type == NodeType.File && !SnapshotDiffNodes.SameContent(node1, node2))
        {
            modifier += "M";
            _stats.ChangedFiles++;
            if (SnapshotDiffNodes.Equal(node1, node2, ignoreContent: true))
            {
                // Same metadata, different content: restic's hint at possible bit rot.
                modifier += "?";
            }
        }
        else if (showMetadata && !SnapshotDiffNodes.Equal(node1, node2, ignoreContent: false))
        {
            modifier += "U";
        }
        if (modifier.Length > 0)
        {
            _onChange(new SnapshotDiffChange(node2.Type == NodeType.Dir ? [.. path, (byte)'/'] : path, modifier));
        }
        var sub1 = node1.Type == NodeType.Dir ? node1.Subtree : null;
        var sub2 = node2.Type == NodeType.Dir ? node2.Subtree : null;
        if (sub1 is { } a && sub2 is { } b)
        {
            if (a == b)
            {
                _commonTrees.Add(a);
            }
            else
            {
                await DiffTreeAsync(path, a, b, cancellationToken).ConfigureAwait(false);
            }
        }
        // A directory that replaced a file, or a file that replaced one, contributes only its subtree id:
        // restic 0.14 does not count the blobs below it, and the statistics follow it.
    }

    private async Task ReportSideAsync(byte[] prefix, Node node, string modifier, SnapshotDiffCounts counts, HashSet<BlobHandle> blobs, CancellationToken cancellationToken)
    {
        var path = Join(prefix, node.Name);
        _onChange(new SnapshotDiffChange(node.Type == NodeType.Dir ? [.. path, (byte)'/'] : path, modifier));
        Count(counts, node);
        if (node.Type == NodeType.Dir && node.Subtree is { } subtree)
        {
            await ReportTreeAsync(path, subtree, modifier, counts, blobs, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ReportTreeAsync(byte[] prefix, BlobId treeId, string modifier, SnapshotDiffCounts counts, HashSet<BlobHandle> blobs, CancellationToken cancellationToken)
    {
        var tree = await repository.LoadTreeAsync(treeId, cancellationToken).ConfigureAwait(false);
        foreach (var node in tree.Nodes)
        {
            AddBlobs(blobs, node);
            await ReportSideAsync(prefix, node, modifier, counts, blobs, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Adds the blobs below a tree (not the tree itself); with <paramref name="visited"/>, each tree is read once.</summary>
    private async Task CollectAsync(BlobId treeId, HashSet<BlobHandle> blobs, HashSet<BlobId>? visited, CancellationToken cancellationToken)
    {
        if (visited is not null && !visited.Add(treeId))
        {
            return;
        }
        var tree = await repository.LoadTreeAsync(treeId, cancellationToken).ConfigureAwait(false);
        foreach (var node in tree.Nodes)
        {
            AddBlobs(blobs, node);
            if (node.Type == NodeType.Dir && node.Subtree is { } subtree)
            {
                await CollectAsync(subtree, blobs, visited, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task CountBlobsAsync(CancellationToken cancellationToken)
    {
        var removed = _before.Where(h => !_after.Contains(h)).ToHashSet();
        var added = _after.Where(h => !_before.Contains(h)).ToHashSet();
        if ((removed.Count > 0 || added.Count > 0) && _commonTrees.Count > 0)
        {
            var common = new HashSet<BlobHandle>();
            var visited = new HashSet<BlobId>();
            foreach (var tree in _commonTrees)
            {
                await CollectAsync(tree, common, visited, cancellationToken).ConfigureAwait(false);
            }
            removed.ExceptWith(common);
            added.ExceptWith(common);
        }
        Sum(removed, _stats.Removed);
        Sum(added, _stats.Added);
    }

    private void Sum(HashSet<BlobHandle> blobs, SnapshotDiffCounts counts)
    {
        foreach (var handle in blobs)
        {
            if (handle.Type == BlobType.Data)
            {
                counts.DataBlobs++;
            }
            else
            {
                counts.TreeBlobs++;
            }
            if (repository.Index.TryLookup(handle, out var found))
            {
                counts.Bytes += found.Blob.PlaintextLength;
            }
            else
            {
                _stats.MissingBlobs.Add(handle.ToString());
            }
        }
    }

    private static void Count(SnapshotDiffCounts counts, Node node)
    {
        switch (node.Type)
        {
            case NodeType.File:
                counts.Files++;
                break;
            case NodeType.Dir:
                counts.Dirs++;
                break;
            default:
                counts.Others++;
                break;
        }
    }

    private static void AddBlobs(HashSet<BlobHandle> blobs, Node? node)
    {
        if (node is null)
        {
            return;
        }
        if (node.Type == NodeType.File)
        {
            foreach (var id in node.Content ?? [])
            {
                blobs.Add(new BlobHandle(id, BlobType.Data));
            }
        }
        else if (node.Type == NodeType.Dir && node.Subtree is { } subtree)
        {
            blobs.Add(new BlobHandle(subtree, BlobType.Tree));
        }
    }

    /// <summary>Nodes keyed by their raw name (Latin-1 maps bytes to chars one to one, so ordinal order is byte order); a repeated name keeps the last.</summary>
    private static Dictionary<string, Node> ByName(Tree tree)
    {
        var map = new Dictionary<string, Node>(tree.Nodes.Count, StringComparer.Ordinal);
        foreach (var node in tree.Nodes)
        {
            map[Encoding.Latin1.GetString(node.Name)] = node;
        }
        return map;
    }

    private static byte[] Join(byte[] prefix, byte[] name)
    {
        var path = new byte[prefix.Length + 1 + name.Length];
        prefix.CopyTo(path, 0);
        path[prefix.Length] = (byte)'/';
        name.CopyTo(path, prefix.Length + 1);
        return path;
    }
}
