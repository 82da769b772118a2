using System.Runtime;
using Coffer.Core.Interop;
using Coffer.Core.Model;
using Coffer.Core.Primitives;

namespace Coffer.Core.Restorer;

/// <summary>
/// Restores a tree of a snapshot into a target directory: plan (trees walked, names checked, selection, blobs
/// resolved, target inspected), compare existing files, create the structure, write the content pack by pack,
/// link, remove what could not be completed, then directory metadata children first, and optionally read
/// everything back. See <c>README.md</c> in this folder. Problems with single items are reported to the progress
/// and counted in the summary; the restore goes on with the rest.
/// </summary>
public static class SnapshotRestorer
{
    /// <summary>
    /// Restores the nodes of <paramref name="root"/> into <see cref="RestoreOptions.Target"/>. The repository's
    /// index must be loaded. Thread-safe with respect to other restores into other targets. Cancellation leaves a
    /// partial result that running the same restore again completes.
    /// </summary>
    public static async Task<RestoreSummary> RestoreAsync(Repository.Repository repository, Tree root, RestoreOptions options,
        IRestoreProgress? progress, CancellationToken cancellationToken)
    {
        var counters = new RestoreCounters(progress ?? NullRestoreProgress.Instance);
        var plan = new RestorePlan();
        using var target = TargetTree.Open(options.Target, plan.Directories, options.DryRun);
        var ownership = options.RestoreOwnership ?? PosixFileSystem.EffectiveUserId == 0;
        var metadata = new MetadataWriter(ownership, options.OwnerByName, counters, CreationModel.For(target.Root));
        var directories = new DirectoryMaker(options, target, counters);
        var structure = new StructureWriter(plan, options, target, metadata, counters, directories);
        using var making = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (!options.DryRun)
        {
            // New directories are made on another thread while planning goes on.
            directories.StartMaking(making.Token);
        }
        try
        {
            await new RestorePlanner(repository, options, target, plan, counters, directories.MakeSoon).BuildAsync(root, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // Planning failed: the maker stops where it is, and planning's failure is the one reported.
            await making.CancelAsync().ConfigureAwait(false);
            try
            {
                await directories.FinishMakingAsync().ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Cancelled, or failed too: secondary to planning's failure.
            }
            throw;
        }
        await directories.FinishMakingAsync().ConfigureAwait(false);
        // Planning leaves every tree's JSON and plaintext behind as garbage, much of it in the large-object heap,
        // which only a full collection frees; the plan itself lives until the end. One compacting collection here
        // keeps that garbage from adding to the peak of the writing phase (a small plan leaves too little to matter).
        var items = plan.TotalItems;
        var large = items >= CompactionThreshold;
        if (large)
        {
            CompactHeap();
        }
        counters.Planned(items, plan.TotalBytes);
        await CompareExistingAsync(plan, options, target, counters, cancellationToken).ConfigureAwait(false);
        if (options.DryRun)
        {
            ReportDryRun(plan, counters);
            return counters.Summary(dryRun: true);
        }
        structure.CreateStructure(cancellationToken);
        var files = plan.Entries.Where(e => e.Kind == EntryKind.File && !e.Skip && !e.Failed && e.NeededCount > 0);
        var packs = RestorePlan.GroupByPack(repository.Index, files);
        // The blob table GroupByPack used is garbage now, in the large-object heap: gone before writing starts.
        if (large)
        {
            CompactHeap();
        }
        await new ContentWriter(repository, options, target, metadata, counters).RunAsync(packs, cancellationToken).ConfigureAwait(false);
        structure.CreateHardLinks(cancellationToken);
        structure.RemoveFailedFiles();
        structure.ApplyDirectoryMetadata(cancellationToken);
        if (options.Verify)
        {
            await VerifyAsync(plan, target, counters, cancellationToken).ConfigureAwait(false);
        }
        return counters.Summary(dryRun: false);
    }

    /// <summary>Items in a plan from which the heap is compacted after planning and after grouping by pack.</summary>
    private const long CompactionThreshold = 10_000;

    /// <summary>One blocking, compacting full collection (large objects included); about 0.1 s on a 200,000-file plan.</summary>
    private static void CompactHeap()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }

    /// <summary>
    /// The tree to restore for <c>SNAPSHOT[:SUBPATH]</c>: the snapshot's root tree, the tree of the directory at
    /// <paramref name="subpath"/>, or a one-node tree when it names anything else (a file is then restored into
    /// the target under its own name). Throws <see cref="CofferException"/> when the path is not in the snapshot.
    /// </summary>
    public static async Task<Tree> LoadRootAsync(Repository.Repository repository, BlobId snapshotTree, string? subpath, CancellationToken cancellationToken)
    {
        var tree = await repository.LoadTreeAsync(snapshotTree, cancellationToken).ConfigureAwait(false);
        var parts = (subpath ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
        var walked = "";
        for (var i = 0; i < parts.Length; i++)
        {
            walked += "/" + parts[i];
            var node = tree.Find(parts[i]);
            if (node is null || !PosixPath.IsSingleComponent(node.Name))
            {
                throw new CofferException($"path {walked} not found in snapshot", "list the snapshot with 'coffer ls' to see its paths");
            }
            if (node.Type != NodeType.Dir)
            {
                if (i != parts.Length - 1)
                {
                    throw new CofferException($"path {walked} in snapshot is not a directory");
                }
                return new Tree([node]);
            }
            if (node.Subtree is not BlobId sub)
            {
                throw new CofferException($"path {walked} in snapshot has no subtree");
            }
            tree = await repository.LoadTreeAsync(sub, cancellationToken).ConfigureAwait(false);
        }
        return tree;
    }

    /// <summary>Reads existing files whose content must be compared and marks the blobs that differ.</summary>
    private static async Task CompareExistingAsync(RestorePlan plan, RestoreOptions options, TargetTree target, RestoreCounters counters, CancellationToken cancellationToken)
    {
        var candidates = plan.Entries.Where(e => e.CheckContent).ToList();
        if (candidates.Count == 0)
        {
            return;
        }
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.PackReaders), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(candidates, parallel, (entry, ct) =>
        {
            var buffer = new byte[ContentCheck.BufferSize];
            try
            {
                using var dir = target.Acquire(entry.Directory.Index);
                using var file = PosixFileSystem.OpenReadAt(dir.Handle, entry.Name);
                var status = PosixFileSystem.FStat(file);
                if (!status.IsRegular)
                {
                    entry.InPlace = false;
                    return ValueTask.CompletedTask;
                }
                var mismatch = ContentCheck.Mismatches(file, (long)status.Size, entry, buffer, ct);
                var matching = 0L;
                for (var i = 0; i < mismatch.Length; i++)
                {
                    matching += mismatch[i] ? 0 : entry.Lengths[i];
                }
                entry.Needed = mismatch;
                if (entry.NeededCount == 0 && (long)status.Size == entry.Size)
                {
                    entry.Action = RestoreAction.Unchanged;
                }
                else
                {
                    counters.BytesSkipped(matching);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Unreadable: the whole file is written again.
                entry.Needed = null;
            }
            return ValueTask.CompletedTask;
        }).ConfigureAwait(false);
    }

    private static void ReportDryRun(RestorePlan plan, RestoreCounters counters)
    {
        foreach (var dir in plan.Directories)
        {
            foreach (var name in dir.Extra)
            {
                counters.Done(dir.DisplayPathTo(name), RestoreAction.Deleted, 0);
            }
        }
        foreach (var entry in plan.Entries)
        {
            if (entry.Kind == EntryKind.File)
            {
                var written = 0L;
                for (var i = 0; i < entry.Blobs.Length && !entry.Skip; i++)
                {
                    written += entry.Needed is { } n && !n[i] ? 0 : entry.Lengths[i];
                }
                counters.BytesRestored(written);
                counters.BytesSkipped(entry.Skip || entry.Action == RestoreAction.Unchanged ? entry.Size : 0);
            }
            counters.Done(entry.DisplayPath, entry.Action, entry.Kind == EntryKind.File ? entry.Size : 0);
        }
        for (var i = plan.Directories.Count - 1; i > 0; i--)
        {
            var dir = plan.Directories[i];
            if (dir.Selected)
            {
                counters.Done(dir.DisplayPath, dir.Existed ? RestoreAction.Unchanged : RestoreAction.Restored, 0);
            }
        }
    }

    /// <summary>Reads every restored file back and checks its size and each blob's hash.</summary>
    private static async Task VerifyAsync(RestorePlan plan, TargetTree target, RestoreCounters counters, CancellationToken cancellationToken)
    {
        var files = plan.Entries.Where(e => e.Kind == EntryKind.File && !e.Failed && !e.Skip && !e.Directory.Failed).ToList();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(2, Environment.ProcessorCount), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(files, parallel, (entry, ct) =>
        {
            var buffer = new byte[ContentCheck.BufferSize];
            try
            {
                using var dir = target.Acquire(entry.Directory.Index);
                using var file = PosixFileSystem.OpenReadAt(dir.Handle, entry.Name);
                var status = PosixFileSystem.FStat(file);
                var mismatch = ContentCheck.Mismatches(file, (long)status.Size, entry, buffer, ct);
                var first = Array.IndexOf(mismatch, true);
                if ((long)status.Size != entry.Size)
                {
                    counters.Error(entry.DisplayPath, $"verify {entry.DisplayPath}: size {status.Size} differs from the snapshot ({entry.Size})");
                }
                else if (first >= 0)
                {
                    counters.Error(entry.DisplayPath, $"verify {entry.DisplayPath}: content at offset {entry.OffsetOf(first)} does not match blob {entry.Blobs[first]}");
                }
                counters.Verified();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                counters.Error(entry.DisplayPath, $"verify {entry.DisplayPath}: {e.Message}");
            }
            return ValueTask.CompletedTask;
        }).ConfigureAwait(false);
    }
}
