using Coffer.Core.Model;
using Coffer.Core.Primitives;
using Coffer.Core.Repository;
using Coffer.Storage;
using Repo = Coffer.Core.Repository.Repository;

namespace Coffer.Core.Maintenance;

/// <summary>
/// Repairs snapshots whose trees or data are damaged (<c>repair snapshots</c>, restic's semantics): each snapshot's
/// trees are rewritten by <see cref="TreeRepairer"/> (unloadable directories emptied, missing content removed from
/// files, invalid nodes dropped) against the index as loaded, so run <see cref="IndexRebuilder"/> first. A changed
/// snapshot is saved anew with <c>original</c> set to its id and tagged <see cref="RepairedTag"/> (or, with
/// <see cref="SnapshotRepairOptions.Forget"/>, the original deleted after the new one is saved); a snapshot whose
/// root tree is unreadable is deleted. New trees are committed before the snapshot that uses them, and the old
/// snapshot is deleted only after the new one exists, so an interruption loses nothing. The caller holds an
/// exclusive lock (a dry run writes nothing and needs none) and has loaded the index.
/// </summary>
public static class SnapshotRepairer
{
    /// <summary>The tag a repaired snapshot gets unless the original is forgotten.</summary>
    public const string RepairedTag = "repaired";

    /// <summary>
    /// The snapshots named by <paramref name="references"/> (or all matching <paramref name="filter"/>). A snapshot
    /// file that cannot be read stops the repair with an error, unless it was named and <c>Forget</c> is set: then
    /// it is deleted (in a dry run, only listed).
    /// </summary>
    public static async Task<SnapshotRepairSelection> SelectAsync(Repo repository, SnapshotFilter filter, IReadOnlyList<string> references, SnapshotRepairOptions options,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(references);
        ArgumentNullException.ThrowIfNull(options);
        var removed = new List<SnapshotId>();
        if (references.Count == 0)
        {
            var unreadable = new List<Id>();
            var all = await repository.LoadSnapshotsAsync(cancellationToken, (id, _) =>
            {
                lock (unreadable)
                {
                    unreadable.Add(id);
                }
            }).ConfigureAwait(false);
            if (unreadable.Count > 0)
            {
                throw Unreadable(unreadable.Min());
            }
            return new SnapshotRepairSelection(all.Where(filter.Matches).ToList(), removed);
        }
        var snapshots = new List<Snapshot>();
        foreach (var reference in references)
        {
            Snapshot snapshot;
            try
            {
                snapshot = await filter.FindAsync(repository, reference, cancellationToken).ConfigureAwait(false);
            }
            catch (RepositoryCorruptException) when (reference != "latest")
            {
                var id = new SnapshotId(await repository.ResolvePrefixAsync(FileType.Snapshot, reference, cancellationToken).ConfigureAwait(false));
                if (!options.Forget)
                {
                    throw Unreadable(id.Value);
                }
                if (!options.DryRun)
                {
                    await SnapshotRemover.RemoveAsync(repository, [id], null, cancellationToken).ConfigureAwait(false);
                }
                removed.Add(id);
                continue;
            }
            if (!snapshots.Any(s => s.Id == snapshot.Id))
            {
                snapshots.Add(snapshot);
            }
        }
        return new SnapshotRepairSelection(snapshots, removed);
    }

    private static CofferException Unreadable(Id id) =>
        new($"snapshot file {id} is unreadable", $"run 'coffer repair snapshots --forget {id}' to remove it");

    /// <summary>
    /// Repairs each snapshot in turn; <paramref name="onSnapshot"/> (if given) hears of each as it is done. Returns
    /// every snapshot's repair, unchanged ones included.
    /// </summary>
    public static async Task<List<SnapshotRepair>> RepairAsync(Repo repository, IEnumerable<Snapshot> snapshots, SnapshotRepairOptions options,
        Action<SnapshotRepair>? onSnapshot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(snapshots);
        ArgumentNullException.ThrowIfNull(options);
        var trees = new TreeRepairer(repository);
        var results = new List<SnapshotRepair>();
        foreach (var snapshot in snapshots)
        {
            var repair = await RepairOneAsync(repository, trees, snapshot, options, cancellationToken).ConfigureAwait(false);
            results.Add(repair);
            onSnapshot?.Invoke(repair);
        }
        return results;
    }

    private static async Task<SnapshotRepair> RepairOneAsync(Repo repository, TreeRepairer trees, Snapshot snapshot, SnapshotRepairOptions options, CancellationToken cancellationToken)
    {
        var oldId = snapshot.Id ?? throw new ArgumentException("a snapshot without id cannot be repaired", nameof(snapshot));
        var repairs = new List<NodeRepair>();
        BlobId? root;
        if (options.DryRun)
        {
            root = await trees.RepairAsync(snapshot.Tree, [], null, repairs, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await using var upload = repository.BeginUpload(new UploadOptions { Compression = repository.Compression }, cancellationToken);
            root = await trees.RepairAsync(snapshot.Tree, [], upload, repairs, cancellationToken).ConfigureAwait(false);
            await upload.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        if (root is not { } newRoot)
        {
            if (!options.DryRun)
            {
                await SnapshotRemover.RemoveAsync(repository, [oldId], null, cancellationToken).ConfigureAwait(false);
            }
            return new SnapshotRepair { Snapshot = snapshot, Repairs = repairs, Outcome = SnapshotRepairOutcome.RemovedEmpty, OriginalRemoved = true };
        }
        if (newRoot == snapshot.Tree)
        {
            return new SnapshotRepair { Snapshot = snapshot, Repairs = repairs, Outcome = SnapshotRepairOutcome.Unchanged };
        }
        if (options.DryRun)
        {
            return new SnapshotRepair { Snapshot = snapshot, Repairs = repairs, Outcome = SnapshotRepairOutcome.Rewritten, OriginalRemoved = options.Forget };
        }

        var copy = Snapshot.Parse(snapshot.Encode());
        copy.Tree = newRoot;
        copy.Original = oldId;
        if (!options.Forget && !copy.Tags.Contains(RepairedTag, StringComparer.Ordinal))
        {
            copy.Tags = [.. copy.Tags, RepairedTag];
        }
        var newId = new SnapshotId(await repository.SaveUnpackedAsync(FileType.Snapshot, copy.Encode(), cancellationToken).ConfigureAwait(false));
        if (options.Forget)
        {
            await SnapshotRemover.RemoveAsync(repository, [oldId], null, cancellationToken).ConfigureAwait(false);
        }
        return new SnapshotRepair { Snapshot = snapshot, Repairs = repairs, Outcome = SnapshotRepairOutcome.Rewritten, NewId = newId, OriginalRemoved = options.Forget };
    }
}
