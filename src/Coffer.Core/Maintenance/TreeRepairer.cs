using Coffer.Core.Model;
using Coffer.Core.Primitives;
using Coffer.Core.Repository;
using Coffer.Storage;
using Repo = Coffer.Core.Repository.Repository;

namespace Coffer.Core.Maintenance;

/// <summary>
/// Rewrites a snapshot's trees without what is damaged, depth-first: a tree that cannot be loaded becomes an
/// empty tree (the directory stays, empty; at the root the whole snapshot is lost), a file keeps only the content
/// blobs the index has and its size becomes their sum, nodes of an invalid type are dropped. A tree with no change
/// keeps its id, so an undamaged snapshot comes out identical. Results are remembered per tree id for the whole
/// run, so trees shared by many snapshots are walked once. Not thread-safe.
/// </summary>
internal sealed class TreeRepairer(Repo repository)
{
    private readonly Dictionary<BlobId, BlobId> _done = [];

    /// <summary>
    /// Repairs the tree <paramref name="treeId"/> found at <paramref name="path"/> (empty for a root); changes
    /// go to <paramref name="repairs"/>, new trees to <paramref name="upload"/> (none: only computed). Returns the
    /// new tree id, or null when a root tree is unreadable.
    /// </summary>
    public async Task<BlobId?> RepairAsync(BlobId? treeId, byte[] path, UploadSession? upload, List<NodeRepair> repairs, CancellationToken cancellationToken)
    {
        if (treeId is { } known && _done.TryGetValue(known, out var repaired))
        {
            return repaired;
        }
        Tree tree;
        try
        {
            tree = treeId is { } id
                ? await repository.LoadTreeAsync(id, cancellationToken).ConfigureAwait(false)
                : throw new RepositoryCorruptException("tree", "directory without subtree");
        }
        catch (Exception e) when (e is CofferException or BackendException)
        {
            if (path.Length == 0)
            {
                repairs.Add(new NodeRepair("/"u8.ToArray(), NodeRepairKind.RootUnreadable));
                return null;
            }
            repairs.Add(new NodeRepair(path, NodeRepairKind.DirectoryEmptied));
            return await SaveAsync(new Tree(), upload, cancellationToken).ConfigureAwait(false);
        }

        var changed = tree.RemoveAll(node =>
        {
            if (!IsInvalidType(node))
            {
                return false;
            }
            repairs.Add(new NodeRepair(Join(path, node), NodeRepairKind.InvalidTypeRemoved));
            return true;
        }) > 0;
        foreach (var node in tree.Nodes)
        {
            if (node.Type == NodeType.File)
            {
                changed |= RepairContent(node, Join(path, node), repairs);
            }
            else if (node.Type == NodeType.Dir)
            {
                var subtree = await RepairAsync(node.Subtree, Join(path, node), upload, repairs, cancellationToken).ConfigureAwait(false);
                if (subtree != node.Subtree)
                {
                    node.Subtree = subtree;
                    changed = true;
                }
            }
        }
        var result = changed ? await SaveAsync(tree, upload, cancellationToken).ConfigureAwait(false) : treeId!.Value;
        _done[treeId!.Value] = result;
        return result;
    }

    // restic drops "irregular" nodes and nodes without a type; other unknown types are kept as they are.
    private static bool IsInvalidType(Node node) =>
        node.Type == NodeType.Irregular || (node.Type == NodeType.Unknown && string.IsNullOrEmpty(node.UnknownTypeName));

    private static byte[] Join(byte[] path, Node node)
    {
        var joined = new byte[path.Length + 1 + node.Name.Length];
        path.CopyTo(joined, 0);
        joined[path.Length] = (byte)'/';
        node.Name.CopyTo(joined, path.Length + 1);
        return joined;
    }

    /// <summary>Keeps the content blobs the index has and makes the size their sum; true when the node changed.</summary>
    private bool RepairContent(Node node, byte[] path, List<NodeRepair> repairs)
    {
        if (node.Content is not { } content)
        {
            if (node.Size == 0)
            {
                return false;
            }
            node.Content = [];
            node.Size = 0;
            repairs.Add(new NodeRepair(path, NodeRepairKind.SizeFixed));
            return true;
        }
        var kept = new List<BlobId>(content.Count);
        ulong size = 0;
        foreach (var blob in content)
        {
            if (repository.Index.TryLookup(new BlobHandle(blob, BlobType.Data), out var found))
            {
                kept.Add(blob);
                size += (ulong)found.Blob.PlaintextLength;
            }
        }
        if (kept.Count != content.Count)
        {
            node.Content = kept;
            node.Size = size;
            repairs.Add(new NodeRepair(path, NodeRepairKind.ContentRemoved));
            return true;
        }
        if (size != node.Size)
        {
            node.Size = size;
            repairs.Add(new NodeRepair(path, NodeRepairKind.SizeFixed));
            return true;
        }
        return false;
    }

    private static async Task<BlobId> SaveAsync(Tree tree, UploadSession? upload, CancellationToken cancellationToken)
    {
        var json = tree.Encode();
        var id = new BlobId(Id.Hash(json));
        if (upload is not null)
        {
            await upload.SaveAsync(BlobType.Tree, id, json, cancellationToken).ConfigureAwait(false);
        }
        return id;
    }
}
