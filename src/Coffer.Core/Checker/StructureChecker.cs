using System.Collections.Concurrent;
using System.Text;
using Coffer.Core.Interop;
using Coffer.Core.Model;
using Coffer.Core.Primitives;
using Coffer.Storage;

namespace Coffer.Core.Checker;

/// <summary>
/// The snapshots step: loads every snapshot, then walks the trees level by level (each distinct tree once,
/// loaded in parallel, bounded), checking that each tree loads and parses, that its node names are single clean
/// components without repeats, and that every blob it references is in the index. Problems are reported per
/// tree. Afterwards counts the indexed blobs no snapshot uses (errors with <see cref="CheckOptions.CheckUnused"/>).
/// </summary>
internal static class StructureChecker
{
    public static async Task CheckAsync(CheckContext context, CheckedIndex index, CancellationToken cancellationToken)
    {
        var repository = context.Repository;
        var snapshotIds = await repository.ListIdsAsync(FileType.Snapshot, cancellationToken).ConfigureAwait(false);
        context.Result.Snapshots = snapshotIds.Count;
        var roots = new ConcurrentBag<(SnapshotId Snapshot, BlobId Tree)>();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, context.Options.TreeLoaders), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(snapshotIds, parallel, async (id, ct) =>
        {
            try
            {
                var snapshot = await repository.LoadSnapshotAsync(new SnapshotId(id), ct).ConfigureAwait(false);
                roots.Add((new SnapshotId(id), snapshot.Tree));
            }
            catch (Exception e) when (e is CofferException or BackendException)
            {
                context.Error(CheckArea.Snapshot, id.ToString(), $"snapshot {id}: could not be loaded: {RepositoryChecker.Problem(e)}");
            }
        }).ConfigureAwait(false);

        var used = new HashSet<BlobHandle>();
        var level = new List<BlobId>();
        foreach (var (snapshot, tree) in roots.OrderBy(r => r.Snapshot.Value))
        {
            if (tree.Value.IsZero)
            {
                context.Error(CheckArea.Snapshot, snapshot.Value.ToString(), $"snapshot {snapshot.Value}: has no tree");
            }
            else if (!index.Index.Contains(new BlobHandle(tree, BlobType.Tree)))
            {
                context.Error(CheckArea.Snapshot, snapshot.Value.ToString(), $"snapshot {snapshot.Value}: tree {tree} not found in index");
            }
            else if (used.Add(new BlobHandle(tree, BlobType.Tree)))
            {
                level.Add(tree);
            }
        }

        var gate = new Lock();
        while (level.Count > 0)
        {
            context.Result.Trees += level.Count;
            var next = new List<BlobId>();
            await Parallel.ForEachAsync(level, parallel, async (treeId, ct) =>
            {
                var tree = await LoadTreeAsync(context, index, treeId, ct).ConfigureAwait(false);
                if (tree is null)
                {
                    return;
                }
                var problems = new List<string>();
                var referenced = new List<BlobHandle>();
                CheckNodes(index, tree, problems, referenced);
                lock (gate)
                {
                    foreach (var handle in referenced)
                    {
                        if (used.Add(handle) && handle.Type == BlobType.Tree)
                        {
                            next.Add(handle.Id);
                        }
                    }
                }
                if (problems.Count > 0)
                {
                    context.Error(CheckArea.Tree, treeId.ToString(), $"tree {treeId}: {problems.Count} problem(s)", problems);
                }
            }).ConfigureAwait(false);
            level = next;
        }
        CountUnused(context, index, used);
    }

    private static async Task<Tree?> LoadTreeAsync(CheckContext context, CheckedIndex index, BlobId id, CancellationToken cancellationToken)
    {
        Exception? last = null;
        foreach (var copy in index.Index.LookupAll(new BlobHandle(id, BlobType.Tree)))
        {
            try
            {
                var json = await context.Repository.LoadBlobAsync(copy, cancellationToken).ConfigureAwait(false);
                return Tree.Parse(json);
            }
            catch (Exception e) when (e is CofferException or BackendException or InvalidDataException)
            {
                last = e;
            }
        }
        var problem = last is InvalidDataException ? $"does not parse: {last.Message}" : $"could not be loaded: {CheckContext.Describe(last!)}";
        context.Error(CheckArea.Tree, id.ToString(), $"tree {id}: {problem}", [problem]);
        return null;
    }

    /// <summary>Checks a tree's nodes; collects the problems and every blob (data and subtree) that is indexed.</summary>
    private static void CheckNodes(CheckedIndex index, Tree tree, List<string> problems, List<BlobHandle> referenced)
    {
        // Strictly ascending names (the rule for trees) cannot repeat; only an unsorted tree needs a set.
        var names = tree.IsSorted ? null : new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in tree.Nodes)
        {
            if (!PosixPath.IsSingleComponent(node.Name))
            {
                problems.Add(node.Name.Length == 0 ? "node with an empty name" : $"node name {Quote(node.Name)} is not a single path component");
            }
            else if (names is not null && !names.Add(Encoding.Latin1.GetString(node.Name)))
            {
                problems.Add($"node name {Quote(node.Name)} occurs more than once");
            }
            switch (node.Type)
            {
                case NodeType.File:
                    var blobs = node.Content ?? [];
                    for (var i = 0; i < blobs.Count; i++)
                    {
                        var handle = new BlobHandle(blobs[i], BlobType.Data);
                        if (blobs[i].Value.IsZero)
                        {
                            problems.Add($"file {Quote(node.Name)} blob {i} has a null id");
                        }
                        else if (!index.Index.Contains(handle))
                        {
                            problems.Add($"file {Quote(node.Name)} blob {blobs[i]} not found in index");
                        }
                        else
                        {
                            referenced.Add(handle);
                        }
                    }
                    break;
                case NodeType.Dir:
                    if (node.Subtree is not { } subtree || subtree.Value.IsZero)
                    {
                        problems.Add($"dir {Quote(node.Name)} has no subtree");
                    }
                    else if (!index.Index.Contains(new BlobHandle(subtree, BlobType.Tree)))
                    {
                        problems.Add($"dir {Quote(node.Name)} subtree {subtree} not found in index");
                    }
                    else
                    {
                        referenced.Add(new BlobHandle(subtree, BlobType.Tree));
                    }
                    break;
                case NodeType.Symlink or NodeType.Dev or NodeType.CharDev or NodeType.Fifo or NodeType.Socket or NodeType.Irregular:
                    break;
                default:
                    problems.Add($"node {Quote(node.Name)} has an invalid type \"{node.UnknownTypeName ?? node.Type.ToString()}\"");
                    break;
            }
        }
    }

    private static void CountUnused(CheckContext context, CheckedIndex index, HashSet<BlobHandle> used)
    {
        var unused = new HashSet<BlobHandle>();
        foreach (var (_, blobs) in index.Packs)
        {
            foreach (var blob in blobs)
            {
                if (!used.Contains(blob.Handle))
                {
                    unused.Add(blob.Handle);
                }
            }
        }
        context.Result.UnusedBlobs = unused.Count;
        if (context.Options.CheckUnused)
        {
            foreach (var handle in unused.OrderBy(h => h.Id.Value))
            {
                context.Error(CheckArea.Blob, handle.Id.ToString(), $"unused {handle.Type.Name()} blob {handle.Id}");
            }
        }
    }

    private static string Quote(byte[] name) => "\"" + Encoding.UTF8.GetString(GoQuote.Quote(name)) + "\"";
}
