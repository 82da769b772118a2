using System.Collections.Concurrent;
using Coffer.Core.Checker;
using Coffer.Core.Index;
using Coffer.Core.Packing;
using Coffer.Core.Primitives;
using Coffer.Storage;
using Repo = Coffer.Core.Repository.Repository;

namespace Coffer.Core.Maintenance;

/// <summary>
/// Builds a new index from the packs the backend holds (<c>repair index</c>). Entries of the old index are kept
/// for a pack whose stored size is exactly what they imply; every other pack (not indexed, size differs, or all
/// with <see cref="IndexRebuildOptions.ReadAllPacks"/>) has its header read. Entries for packs that do not exist
/// are dropped; a pack whose header cannot be read is left in place, out of the index (a prune removes it).
/// The new index files are written first and every old one deleted after (<see cref="IndexReplacer"/>): killed
/// at any instant, the index files present still describe only packs that exist, plus at worst the damage the
/// old files had, and a rerun finishes the job. The caller holds an exclusive lock.
/// </summary>
public static class IndexRebuilder
{
    private const int IndexLoaders = 4;

    /// <summary>Rebuilds the index; returns what was found and written. Does not change <c>repository.Index</c>.</summary>
    public static async Task<IndexRebuildResult> RebuildAsync(Repo repository, IndexRebuildOptions options, IIndexRebuildReport? report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(options);
        report ??= NullIndexRebuildReport.Instance;
        var result = new IndexRebuildResult();
        var oldIndexes = await repository.ListIdsAsync(FileType.Index, cancellationToken).ConfigureAwait(false);
        oldIndexes.Sort();
        result.OldIndexFiles = oldIndexes.Count;
        var indexed = new Dictionary<PackId, List<PackedBlob>>();
        if (!options.ReadAllPacks)
        {
            report.Phase(IndexRebuildPhase.LoadingIndexes);
            await LoadIndexesAsync(repository, oldIndexes, indexed, result, report, cancellationToken).ConfigureAwait(false);
        }

        report.Phase(IndexRebuildPhase.GettingPacks);
        var stored = new List<(PackId Id, long Size)>();
        await foreach (var entry in repository.Backend.ListAsync(FileType.Pack, cancellationToken).ConfigureAwait(false))
        {
            if (Id.TryParse(entry.Name, out var id))
            {
                stored.Add((new PackId(id), entry.Size));
            }
        }
        stored.Sort((a, b) => a.Id.Value.CompareTo(b.Id.Value));
        result.StoredPacks = stored.Count;
        var packs = new List<IndexPack>();
        var toRead = new List<(PackId Id, long Size)>();
        foreach (var (id, size) in stored)
        {
            if (!indexed.Remove(id, out var blobs))
            {
                if (!options.ReadAllPacks)
                {
                    report.Notice($"adding pack file to index {id}");
                }
                result.PacksAdded++;
                toRead.Add((id, size));
                continue;
            }
            var expected = CheckedIndex.ExpectedSize(blobs);
            if (expected == size)
            {
                packs.Add(new IndexPack(id, blobs));
                result.PacksKept++;
                continue;
            }
            report.Notice($"reindexing pack file {id} with unexpected size {size} instead of {expected}");
            result.PacksReindexed++;
            toRead.Add((id, size));
        }
        foreach (var id in indexed.Keys.OrderBy(p => p.Value))
        {
            report.Notice($"removing not found pack file {id}");
            result.MissingPacks.Add(id);
        }

        if (toRead.Count > 0)
        {
            report.Phase(IndexRebuildPhase.ReadingPacks);
            packs.AddRange(await ReadHeadersAsync(repository, toRead, options, result, report, cancellationToken).ConfigureAwait(false));
        }

        report.Phase(IndexRebuildPhase.Rebuilding);
        packs.Sort((a, b) => a.Id.Value.CompareTo(b.Id.Value));
        result.IndexedBlobs = packs.Sum(p => (long)p.Blobs.Count);
        // IndexReplacer.ReplaceAsync in two steps, so that the deletion is reported as a step of its own.
        result.WrittenIndexFiles.AddRange(await IndexReplacer.WriteAsync(repository, packs, oldIndexes, cancellationToken).ConfigureAwait(false));
        report.Phase(IndexRebuildPhase.DeletingObsolete);
        var keep = result.WrittenIndexFiles.ToHashSet();
        await IndexReplacer.DeleteAsync(repository, oldIndexes.Where(id => !keep.Contains(id)), cancellationToken).ConfigureAwait(false);
        report.Phase(IndexRebuildPhase.Done);
        return result;
    }

    /// <summary>Loads the old index files in parallel and merges them in id order; unreadable ones are reported.</summary>
    private static async Task LoadIndexesAsync(Repo repository, List<Id> ids, Dictionary<PackId, List<PackedBlob>> indexed, IndexRebuildResult result,
        IIndexRebuildReport report, CancellationToken cancellationToken)
    {
        var files = new IndexFile?[ids.Count];
        var errors = new Exception?[ids.Count];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = IndexLoaders, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, ids.Count), parallel, async (i, ct) =>
        {
            try
            {
                files[i] = await repository.LoadIndexFileAsync(ids[i], ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is CofferException or BackendException)
            {
                errors[i] = e;
            }
        }).ConfigureAwait(false);
        for (var i = 0; i < ids.Count; i++)
        {
            if (files[i] is not { } file)
            {
                report.Notice($"removing invalid index {ids[i]}: {RepositoryChecker.Problem(errors[i]!)}");
                result.InvalidIndexFiles.Add(ids[i]);
                continue;
            }
            foreach (var pack in file.Packs)
            {
                if (!indexed.TryGetValue(pack.Id, out var known))
                {
                    indexed[pack.Id] = [.. pack.Blobs.Distinct()];
                    continue;
                }
                // Listed by several files (an interrupted rebuild or prune): the union of the distinct entries.
                var seen = known.ToHashSet();
                known.AddRange(pack.Blobs.Where(seen.Add));
            }
        }
    }

    /// <summary>Reads the headers of <paramref name="toRead"/> a few at a time; packs that fail are reported and left out.</summary>
    private static async Task<List<IndexPack>> ReadHeadersAsync(Repo repository, List<(PackId Id, long Size)> toRead, IndexRebuildOptions options,
        IndexRebuildResult result, IIndexRebuildReport report, CancellationToken cancellationToken)
    {
        var read = new ConcurrentBag<IndexPack>();
        var failed = new ConcurrentDictionary<PackId, string>();
        var progress = new Lock();
        var done = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.HeaderReaders), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(toRead, parallel, async (pack, ct) =>
        {
            try
            {
                var blobs = await PackReader.ReadHeaderAsync(repository.Backend, repository.Key, pack.Id, pack.Size, repository.Config.SupportsCompression, ct).ConfigureAwait(false);
                read.Add(new IndexPack(pack.Id, blobs));
            }
            catch (Exception e) when (e is CofferException or BackendException)
            {
                failed[pack.Id] = RepositoryChecker.Problem(e);
            }
            lock (progress)
            {
                report.PackRead(++done, toRead.Count);
            }
        }).ConfigureAwait(false);
        foreach (var (id, problem) in failed.OrderBy(f => f.Key.Value))
        {
            report.Notice($"skipped unreadable pack file {id}: {problem}");
            result.UnreadablePacks.Add(id);
        }
        return [.. read];
    }
}
