using Coffer.Core.Index;
using Coffer.Core.Packing;
using Coffer.Core.Primitives;
using Coffer.Core.Repository;
using Coffer.Storage;
using Repo = Coffer.Core.Repository.Repository;

namespace Coffer.Core.Maintenance;

/// <summary>
/// Carries out a <see cref="PrunePlan"/> in the order that keeps the repository valid when killed at any point:
/// unindexed packs are deleted first; needed blobs of packs to repack are written to new packs (indexed as they
/// are stored); then the index files that list a pack to go are replaced by files without it; only then are
/// those packs deleted. Interrupted, a later prune finds duplicates or unindexed packs and finishes the job.
/// The caller holds an exclusive lock.
/// </summary>
public static class PruneExecutor
{
    private const int DeleteParallelism = 8;

    /// <summary>Runs the plan (nothing happens for a dry run). Returns the number of new packs written.</summary>
    public static async Task<long> ExecuteAsync(Repo repository, PrunePlan plan, PruneOptions options, IPruneReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(report);
        if (options.DryRun)
        {
            return 0;
        }
        if (plan.RemoveUnreferenced.Count > 0)
        {
            report.Step("deleting unreferenced packs");
            await DeletePacksAsync(repository, plan.RemoveUnreferenced, report, cancellationToken).ConfigureAwait(false);
        }
        long newPacks = 0;
        if (plan.Repack.Count > 0)
        {
            report.Step("repacking packs");
            newPacks = await PackRepacker.RepackAsync(repository, plan, report, cancellationToken).ConfigureAwait(false);
        }

        var leaving = new HashSet<PackId>(plan.Remove);
        leaving.UnionWith(plan.Repack);
        leaving.UnionWith(plan.ForgetMissing);
        if (leaving.Count > 0)
        {
            report.Step("rebuilding index");
            var touched = new HashSet<Id>();
            foreach (var pack in leaving)
            {
                if (plan.Index.Listers.TryGetValue(pack, out var listers))
                {
                    touched.UnionWith(listers);
                }
            }
            var stay = new HashSet<PackId>();
            foreach (var (pack, listers) in plan.Index.Listers)
            {
                if (!leaving.Contains(pack) && listers.Exists(touched.Contains))
                {
                    stay.Add(pack);
                }
            }
            var packs = stay.Select(p => new IndexPack(p, plan.Index.Packs[p]));
            await IndexReplacer.WriteAsync(repository, packs, touched, cancellationToken).ConfigureAwait(false);
            report.Step("deleting obsolete index files");
            await IndexReplacer.DeleteAsync(repository, touched, cancellationToken).ConfigureAwait(false);
        }

        var delete = new HashSet<PackId>(plan.Remove);
        delete.UnionWith(plan.Repack);
        if (delete.Count > 0)
        {
            report.Step($"removing {delete.Count} old packs");
            await DeletePacksAsync(repository, delete, report, cancellationToken).ConfigureAwait(false);
        }
        report.Step("done");
        return newPacks;
    }

    /// <summary>Deletes packs; a failure is a warning (a pack left over wastes space but harms nothing).</summary>
    private static async Task DeletePacksAsync(Repo repository, IReadOnlyCollection<PackId> packs, IPruneReport report, CancellationToken cancellationToken)
    {
        await Parallel.ForEachAsync(packs, new ParallelOptions { MaxDegreeOfParallelism = DeleteParallelism, CancellationToken = cancellationToken }, async (pack, ct) =>
        {
            try
            {
                await repository.Backend.DeleteAsync(new FileHandle(FileType.Pack, pack.ToString()), ct).ConfigureAwait(false);
            }
            catch (BackendNotFoundException)
            {
                // Already gone.
            }
            catch (BackendException e)
            {
                report.Warning($"unable to remove data/{pack} from the repository: {e.Message}");
            }
        }).ConfigureAwait(false);
    }
}
