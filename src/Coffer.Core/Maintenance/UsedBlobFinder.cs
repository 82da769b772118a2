using Coffer.Core.Model;
using Coffer.Core.Primitives;
using Coffer.Storage;
using Repo = Coffer.Core.Repository.Repository;

namespace Coffer.Core.Maintenance;

/// <summary>
/// Finds every blob the snapshots of a repository use: loads all snapshots, then walks their trees level by
/// level (each distinct tree once, loaded in parallel). Any snapshot or tree that cannot be loaded stops the
/// search with <see cref="CofferException"/>: data it would reference is unknown, so nothing may be removed.
/// </summary>
public static class UsedBlobFinder
{
    /// <summary>
    /// Returns the used blobs (trees and data) of every snapshot except <paramref name="ignore"/>, as the keys of a
    /// dictionary whose values are 0 (free for the caller to count with), and the snapshot count.
    /// </summary>
    public static async Task<(Dictionary<BlobHandle, int> Used, int Snapshots)> FindAsync(Repo repository, IReadOnlySet<SnapshotId> ignore,
        Action<int>? treesDone, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(ignore);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(2, Environment.ProcessorCount), CancellationToken = cancellationToken };
        var ids = await repository.ListIdsAsync(FileType.Snapshot, cancellationToken).ConfigureAwait(false);
        var roots = new List<BlobId>();
        var gate = new Lock();
        var snapshots = 0;
        await Parallel.ForEachAsync(ids.Where(id => !ignore.Contains(new SnapshotId(id))), parallel, async (id, ct) =>
        {
            Snapshot snapshot;
            try
            {
                snapshot = await repository.LoadSnapshotAsync(new SnapshotId(id), ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is CofferException or BackendException)
            {
                throw new CofferException($"failed loading snapshot {id}: {e.Message}", "run `coffer check`; a damaged snapshot can be removed with `coffer forget` or `coffer repair snapshots`", e);
            }
            lock (gate)
            {
                roots.Add(snapshot.Tree);
                snapshots++;
            }
        }).ConfigureAwait(false);

        var used = new Dictionary<BlobHandle, int>();
        var level = new List<BlobId>();
        foreach (var root in roots)
        {
            if (used.TryAdd(new BlobHandle(root, BlobType.Tree), 0))
            {
                level.Add(root);
            }
        }
        var done = 0;
        while (level.Count > 0)
        {
            var next = new List<BlobId>();
            await Parallel.ForEachAsync(level, parallel, async (treeId, ct) =>
            {
                var references = new List<BlobHandle>();
                try
                {
                    var json = await repository.LoadBlobAsync(new BlobHandle(treeId, BlobType.Tree), ct).ConfigureAwait(false);
                    TreeReferences.Collect(json, references);
                }
                catch (Exception e) when (e is CofferException or BackendException or InvalidDataException)
                {
                    throw new CofferException($"failed to load tree {treeId}: {e.Message}", "run `coffer check`; `coffer repair index` or `coffer repair snapshots` may help", e);
                }
                lock (gate)
                {
                    foreach (var handle in references)
                    {
                        if (used.TryAdd(handle, 0) && handle.Type == BlobType.Tree)
                        {
                            next.Add(handle.Id);
                        }
                    }
                }
                treesDone?.Invoke(Interlocked.Increment(ref done));
            }).ConfigureAwait(false);
            level = next;
        }
        return (used, snapshots);
    }
}
