using System.Collections.Concurrent;
using Coffer.Core.Model;
using Coffer.Core.Primitives;
using Coffer.Core.Repository;
using Repo = Coffer.Core.Repository.Repository;

namespace Coffer.Core.Maintenance;

/// <summary>
/// Walks a source snapshot's trees, level by level with several trees loading at once, and decides what the
/// destination lacks: a tree it lacks is saved to the upload session at once (as the exact bytes the source holds,
/// verified on load), a data blob it lacks is looked up in the source index and added to the work per source pack.
/// Every tree is walked even when the destination has it: a tree indexed in the destination does not prove that
/// everything below it is (an interrupted run may have indexed the tree's pack but not its data's). Trees already
/// walked in this run are not walked again.
/// </summary>
internal sealed class CopyTreeWalker(Repo source, int treeLoaders)
{
    private readonly HashSet<BlobId> _visitedTrees = [];
    private readonly Lock _lock = new();

    /// <summary>
    /// Walks from <paramref name="root"/>, saving missing trees to <paramref name="upload"/> and collecting the data
    /// blobs neither the destination nor the session has into a new <see cref="CopyWork"/>.
    /// </summary>
    public async Task<CopyWork> WalkAsync(BlobId root, UploadSession upload, CancellationToken cancellationToken)
    {
        var work = new CopyWork();
        var queued = new HashSet<BlobId>();
        List<BlobId> level = [];
        lock (_lock)
        {
            if (_visitedTrees.Add(root))
            {
                level.Add(root);
            }
        }
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, treeLoaders), CancellationToken = cancellationToken };
        while (level.Count > 0)
        {
            var next = new ConcurrentBag<BlobId>();
            await Parallel.ForEachAsync(level, parallel, async (treeId, ct) =>
            {
                var handle = new BlobHandle(treeId, BlobType.Tree);
                var json = await source.LoadBlobAsync(handle, ct).ConfigureAwait(false);
                Tree tree;
                try
                {
                    tree = Tree.Parse(json);
                }
                catch (InvalidDataException e)
                {
                    throw new RepositoryCorruptException("tree", e.Message, treeId.ToString(), e);
                }
                if (await upload.SaveAsync(BlobType.Tree, treeId, json, ct).ConfigureAwait(false))
                {
                    long stored = source.Index.TryLookup(handle, out var copy) ? copy.Blob.Length : json.Length;
                    lock (_lock)
                    {
                        work.TreeBlobs++;
                        work.TreeBytes += stored;
                    }
                }
                Collect(tree, upload, work, queued, next);
            }).ConfigureAwait(false);
            level = [.. next];
        }
        return work;
    }

    private void Collect(Tree tree, UploadSession upload, CopyWork work, HashSet<BlobId> queued, ConcurrentBag<BlobId> next)
    {
        lock (_lock)
        {
            foreach (var node in tree.Nodes)
            {
                if (node.Subtree is BlobId sub && _visitedTrees.Add(sub))
                {
                    next.Add(sub);
                }
                foreach (var blob in node.Content ?? [])
                {
                    var handle = new BlobHandle(blob, BlobType.Data);
                    if (upload.Contains(handle) || !queued.Add(blob))
                    {
                        continue;
                    }
                    if (!source.Index.TryLookup(handle, out var found))
                    {
                        throw new RepositoryCorruptException("index", "data blob referenced by a tree is not in the source index", blob.ToString());
                    }
                    if (!work.DataByPack.TryGetValue(found.Pack, out var list))
                    {
                        work.DataByPack[found.Pack] = list = [];
                    }
                    list.Add(found.Blob);
                    work.DataBlobs++;
                    work.DataBytes += found.Blob.Length;
                }
            }
        }
    }
}
