using Coffer.Core.Checker;
using Coffer.Core.Packing;
using Coffer.Core.Primitives;
using Coffer.Storage;
using Repo = Coffer.Core.Repository.Repository;

namespace Coffer.Core.Maintenance;

/// <summary>
/// Plans a prune as restic does: every blob a snapshot uses is kept once (duplicates count as unused, except
/// one copy); packs holding nothing used are removed; packs holding some unused data, mixed packs, tree packs
/// with uncompressed blobs and (ten or more) small packs are candidates for repacking, chosen in order of
/// benefit until the unused data left is within <see cref="PruneOptions.MaxUnused"/> or the repack size limit is
/// reached. Refuses (<see cref="CofferException"/>) on a damaged repository: an index file or snapshot or tree
/// that does not load, a used blob no index lists, a needed pack missing or of the wrong size.
/// </summary>
public static class PrunePlanner
{
    /// <summary>restic's minimum pack size, the floor of the small-pack threshold.</summary>
    private const long MinPackSize = 4L << 20;

    /// <summary>Fewer small packs than this are left alone (repacking them would not pay, and could repeat forever).</summary>
    private const int MinSmallPacks = 10;

    /// <summary>Loads the index, finds the used blobs and plans. Reads only.</summary>
    public static async Task<PrunePlan> PlanAsync(Repo repository, PruneOptions options, IPruneReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(report);
        if (options.RepackUncompressed && !repository.Config.SupportsCompression)
        {
            throw new CofferException("compression requires at least repository format version 2", "--repack-uncompressed cannot be used here");
        }
        report.Step("loading indexes...");
        var (index, _) = await CheckedIndex.LoadAsync(repository,
            (id, e) => throw new CofferException($"index {id} could not be loaded: {e.Message}", "run `coffer repair index` first", e), cancellationToken).ConfigureAwait(false);
        repository.UseIndex(index.Index);

        report.Step("loading all snapshots...");
        var (copies, snapshots) = await UsedBlobFinder.FindAsync(repository, options.IgnoreSnapshots,
            null, cancellationToken).ConfigureAwait(false);
        report.Step($"finding data that is still in use for {snapshots} snapshots");

        report.Step("searching used packs...");
        var stats = new PruneStats();
        var tallies = Tally(index, copies, stats);

        report.Step("collecting packs for deletion and repacking");
        var stored = new Dictionary<PackId, long>();
        await foreach (var entry in repository.Backend.ListAsync(FileType.Pack, cancellationToken).ConfigureAwait(false))
        {
            if (Id.TryParse(entry.Name, out var id))
            {
                stored[new PackId(id)] = entry.Size;
            }
        }
        var plan = new PrunePlan(index, stats);
        Decide(repository, options, plan, tallies, stored, report);
        if (plan.Repack.Count > 0)
        {
            // Blobs to carry over: the used ones in packs to repack, less those with a copy in a pack that stays.
            foreach (var pack in plan.Repack)
            {
                foreach (var blob in index.Packs[pack])
                {
                    if (copies.ContainsKey(blob.Handle))
                    {
                        plan.KeepBlobs.Add(blob.Handle);
                    }
                }
            }
            foreach (var (pack, blobs) in index.Packs)
            {
                if (!plan.Repack.Contains(pack) && !plan.Remove.Contains(pack) && !plan.ForgetMissing.Contains(pack))
                {
                    foreach (var blob in blobs)
                    {
                        plan.KeepBlobs.Remove(blob.Handle);
                    }
                }
            }
        }
        return plan;
    }

    /// <summary>
    /// <paramref name="copies"/> holds every used blob (value 0 on entry); it is filled with each one's number of
    /// copies in the index, then settled by <see cref="ResolveDuplicates"/>.
    /// </summary>
    private static Dictionary<PackId, PackTally> Tally(CheckedIndex index, Dictionary<BlobHandle, int> copies, PruneStats stats)
    {
        foreach (var blobs in index.Packs.Values)
        {
            foreach (var blob in blobs)
            {
                if (copies.TryGetValue(blob.Handle, out var n))
                {
                    copies[blob.Handle] = n + 1;
                }
            }
        }
        var missing = copies.Where(c => c.Value == 0).Select(c => c.Key).OrderBy(h => h.Id.Value).ToList();
        if (missing.Count > 0)
        {
            var shown = string.Join(", ", missing.Take(5).Select(h => $"{h.Type.Name()} {h.Id}"));
            throw new CofferException($"{missing.Count} used blobs not found in the index ({shown}{(missing.Count > 5 ? ", ..." : "")}); will not prune to prevent (additional) data loss",
                "run `coffer check`; `coffer repair index` can rebuild an index from the packs");
        }

        var tallies = new Dictionary<PackId, PackTally>(index.Packs.Count);
        var hasDuplicates = false;
        foreach (var (pack, blobs) in index.Packs)
        {
            var tally = new PackTally { UsedSize = CheckedIndex.ExpectedSize(blobs) - blobs.Sum(b => (long)b.Length) };
            foreach (var blob in blobs)
            {
                tally.Mixed |= tally.Type is { } t && t != blob.Handle.Type;
                tally.Type ??= blob.Handle.Type;
                tally.Uncompressed |= !blob.IsCompressed;
                copies.TryGetValue(blob.Handle, out var n);
                if (n >= 2)
                {
                    hasDuplicates = true;
                    tally.UnusedSize += blob.Length;
                    tally.UnusedBlobs++;
                    tally.DuplicateBlobs++;
                    stats.SizeDuplicate += blob.Length;
                    stats.BlobsDuplicate++;
                }
                else if (n == 1)
                {
                    tally.UsedSize += blob.Length;
                    tally.UsedBlobs++;
                    stats.SizeUsed += blob.Length;
                    stats.BlobsUsed++;
                }
                else
                {
                    tally.UnusedSize += blob.Length;
                    tally.UnusedBlobs++;
                    stats.SizeUnused += blob.Length;
                    stats.BlobsUnused++;
                }
            }
            tallies[pack] = tally;
        }
        if (hasDuplicates)
        {
            ResolveDuplicates(index, copies, tallies, stats);
        }
        return tallies;
    }

    /// <summary>
    /// Picks one copy of each duplicated used blob to count as used: a copy in a pack with other used blobs, or
    /// in a pack of nothing but duplicates (as an interrupted prune leaves), else the last copy seen.
    /// </summary>
    private static void ResolveDuplicates(CheckedIndex index, Dictionary<BlobHandle, int> copies, Dictionary<PackId, PackTally> tallies, PruneStats stats)
    {
        // Remaining copies of each duplicated blob; 1 means it is settled (one copy chosen), 0 that the next copy seen is the last.
        foreach (var (pack, blobs) in index.Packs)
        {
            var tally = tallies[pack];
            foreach (var blob in blobs)
            {
                if (!copies.TryGetValue(blob.Handle, out var n) || n == 1)
                {
                    continue;
                }
                if (tally.UsedBlobs > 0 || tally.DuplicateBlobs == tally.UnusedBlobs || n == 0)
                {
                    tally.UsedSize += blob.Length;
                    tally.UsedBlobs++;
                    tally.UnusedSize -= blob.Length;
                    tally.UnusedBlobs--;
                    stats.SizeUsed += blob.Length;
                    stats.BlobsUsed++;
                    stats.SizeDuplicate -= blob.Length;
                    stats.BlobsDuplicate--;
                    copies[blob.Handle] = 1;
                }
                else
                {
                    n--;
                    copies[blob.Handle] = n == 1 ? 0 : n;
                }
            }
        }
    }

    private static void Decide(Repo repository, PruneOptions options, PrunePlan plan, Dictionary<PackId, PackTally> tallies,
        Dictionary<PackId, long> stored, IPruneReport report)
    {
        var stats = plan.Stats;
        var small = SmallPackSize(options, tallies);
        var candidates = new List<(PackId Id, PackTally Tally)>();
        var smallCandidates = new List<(PackId Id, PackTally Tally)>();
        var compressionSupported = repository.Config.SupportsCompression;
        foreach (var (pack, size) in stored)
        {
            if (!tallies.TryGetValue(pack, out var tally))
            {
                report.Detail($"will remove pack {pack.ToString()[..8]} as it is unused and not indexed");
                plan.RemoveUnreferenced.Add(pack);
                stats.SizeUnreferenced += size;
                continue;
            }
            if (tally.Size != size && tally.UsedBlobs != 0)
            {
                throw new CofferException($"pack {pack}: calculated size {tally.Size} does not match real size {size}",
                    "run `coffer repair index`");
            }
            if (tally.UsedBlobs == 0)
            {
                stats.PacksUnused++;
            }
            else if (tally.UnusedBlobs == 0)
            {
                stats.PacksUsed++;
            }
            else
            {
                stats.PacksPartlyUsed++;
            }
            if (tally.Uncompressed)
            {
                stats.SizeUncompressed += tally.Size;
            }
            tally.MustCompress = compressionSupported && tally.Uncompressed && (tally.IsTreePack || options.RepackUncompressed);
            if (tally.UsedBlobs == 0)
            {
                plan.Remove.Add(pack);
                stats.BlobsRemove += tally.UnusedBlobs;
                stats.SizeRemove += tally.UnusedSize;
            }
            else if (options.RepackCacheableOnly && tally.IsDataPack)
            {
                stats.PacksKeep++;
            }
            else if (tally.UnusedBlobs == 0 && !tally.Mixed && !tally.MustCompress)
            {
                if (size >= small)
                {
                    stats.PacksKeep++;
                }
                else
                {
                    smallCandidates.Add((pack, tally));
                }
            }
            else
            {
                candidates.Add((pack, tally));
            }
            tallies.Remove(pack);
        }

        // What is left is indexed but not stored.
        var missingNeeded = new List<PackId>();
        foreach (var (pack, tally) in tallies)
        {
            if (tally.UsedBlobs == 0)
            {
                plan.ForgetMissing.Add(pack);
                stats.BlobsRemove += tally.UnusedBlobs;
                stats.SizeRemove += tally.UnusedSize;
                report.Warning($"will forget missing pack file {pack}");
            }
            else
            {
                missingNeeded.Add(pack);
            }
        }
        if (missingNeeded.Count > 0)
        {
            throw new CofferException($"the index references {missingNeeded.Count} needed pack files which are missing from the repository: {string.Join(", ", missingNeeded.Take(5))}{(missingNeeded.Count > 5 ? ", ..." : "")}",
                "run `coffer check`; `coffer repair index` then `coffer repair snapshots` can recover what still exists");
        }

        if (smallCandidates.Count < MinSmallPacks)
        {
            stats.PacksKeep += smallCandidates.Count;
        }
        else
        {
            candidates.AddRange(smallCandidates);
        }
        candidates.Sort((a, b) => CompareCandidates(a.Tally, b.Tally, small));

        var maxUnusedAfter = options.MaxUnused.Limit(stats.SizeUsed);
        foreach (var (pack, tally) in candidates)
        {
            var remainingUnused = stats.SizeDuplicate + stats.SizeUnused - stats.SizeRemove - stats.SizeRepackRemove;
            var reachedUnused = remainingUnused < maxUnusedAfter;
            var reachedRepackSize = stats.SizeRepack + tally.Size >= options.MaxRepackBytes;
            var largeEnough = tally.Size >= small;
            if (reachedRepackSize || (reachedUnused && largeEnough && tally.IsDataPack && !tally.MustCompress))
            {
                stats.PacksKeep++;
                continue;
            }
            plan.Repack.Add(pack);
            stats.BlobsRepack += tally.UnusedBlobs + tally.UsedBlobs;
            stats.SizeRepack += tally.Size;
            stats.BlobsRepackRemove += tally.UnusedBlobs;
            stats.SizeRepackRemove += tally.UnusedSize;
            if (tally.Uncompressed)
            {
                stats.SizeUncompressed -= tally.Size;
            }
        }
        stats.PacksUnreferenced = plan.RemoveUnreferenced.Count;
        stats.PacksRepack = plan.Repack.Count;
        stats.PacksRemove = plan.Remove.Count;
        if (!compressionSupported)
        {
            stats.SizeUncompressed = 0;
        }
    }

    /// <summary>Tree and mixed packs first, then small packs, then by the share of unused bytes, highest first.</summary>
    private static int CompareCandidates(PackTally a, PackTally b, long small)
    {
        var aData = a.IsDataPack;
        var bData = b.IsDataPack;
        if (aData != bData)
        {
            return aData ? 1 : -1;
        }
        var aSmall = a.Size < small;
        var bSmall = b.Size < small;
        if (aSmall != bSmall)
        {
            return aSmall ? -1 : 1;
        }
        // a.unused / a.used > b.unused / b.used, without division.
        var left = (UInt128)(ulong)a.UnusedSize * (ulong)b.UsedSize;
        var right = (UInt128)(ulong)b.UnusedSize * (ulong)a.UsedSize;
        return right.CompareTo(left);
    }

    /// <summary>
    /// The given size; with <see cref="PruneOptions.RepackSmall"/> 80 % of the default pack size; else 80 % of the
    /// larger of 4 MiB and the 3rd percentile of pack sizes (so a repository without small packs repacks none).
    /// </summary>
    private static long SmallPackSize(PruneOptions options, Dictionary<PackId, PackTally> tallies)
    {
        if (options.SmallPackBytes is { } given)
        {
            return given;
        }
        if (options.RepackSmall)
        {
            return PackLayout.DefaultPackSize / 5 * 4;
        }
        if (tallies.Count == 0)
        {
            return 0;
        }
        var sizes = tallies.Values.Select(t => t.Size).Order().ToList();
        return Math.Max(MinPackSize, sizes[tallies.Count * 3 / 100]) * 4 / 5;
    }
}
