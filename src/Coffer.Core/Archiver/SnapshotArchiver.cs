using System.Text;
using Coffer.Core.Chunking;
using Coffer.Core.Interop;
using Coffer.Core.Model;
using Coffer.Core.Primitives;
using Coffer.Core.Repository;
using Coffer.Storage;

namespace Coffer.Core.Archiver;

/// <summary>
/// Runs one backup: chooses the parent, walks the targets into trees while files are read, chunked,
/// hashed and packed in parallel, commits the packs and index, and writes the snapshot last — so a
/// run killed at any instant leaves a valid repository. Per-file problems are reported to the
/// progress sink and counted in <see cref="BackupSummary.Errors"/>; they do not stop the backup.
/// </summary>
public sealed class SnapshotArchiver(Repository.Repository repository, BackupOptions options, IBackupProgress? progress = null)
{
    private readonly IBackupProgress _progress = progress ?? NullBackupProgress.Instance;

    /// <summary>Runs the backup. Throws on repository failures and cancellation (nothing is then referenced by a snapshot).</summary>
    public async Task<BackupSummary> RunAsync(CancellationToken cancellationToken)
    {
        var summary = new BackupSummary();
        var clock = repository.Clock;
        summary.BackupStart = GoTime.Now(clock);
        var time = options.Time ?? summary.BackupStart;
        var layout = options.Stdin is null ? TargetLayout.Build(options.Targets, Environment.CurrentDirectory) : null;
        var paths = layout?.AbsolutePaths ?? ["/" + options.Stdin!.FileName.TrimStart('/')];

        await repository.LoadIndexAsync(cancellationToken).ConfigureAwait(false);
        var parent = await FindParentAsync(paths, time, cancellationToken).ConfigureAwait(false);
        summary.Parent = parent?.Id;

        using var scanCancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var scan = layout is null || !options.ScanTotals ? Task.CompletedTask : Task.Run(() => Scanner.Run(layout, options, _progress, scanCancel.Token), scanCancel.Token);

        var uploadOptions = new UploadOptions
        {
            PackSize = options.PackSize,
            Compression = options.Compression,
            DryRun = options.DryRun,
        };
        BlobId root;
        await using (var upload = repository.BeginUpload(uploadOptions, cancellationToken))
        {
            var tables = ChunkerTables.For(repository.Config.ChunkerPolynomial);
            await using (var files = new FileSaver(upload, tables, options.ReadConcurrency, _progress, cancellationToken))
            {
                var walker = new DirectoryWalker(repository, upload, files, new NodeFactory(new UserNames(), options.WithAtime), options, summary, _progress);
                var parentRoot = parent is null ? null : await walker.LoadPreviousTreeAsync(new Node { Type = NodeType.Dir, Subtree = parent.Tree }, cancellationToken).ConfigureAwait(false);
                Task<BlobId> rootTask;
                if (options.Stdin is { } stdin)
                {
                    var node = await files.SaveStreamAsync(stdin.Stream, Encoding.UTF8.GetBytes(stdin.FileName.TrimStart('/')), time, cancellationToken).ConfigureAwait(false);
                    Interlocked.Increment(ref summary.TotalFilesField);
                    Interlocked.Add(ref summary.TotalBytesField, (long)node.Size);
                    Interlocked.Increment(ref summary.FilesNewField);
                    rootTask = walker.SaveTreeAsync([Task.FromResult<Node?>(node)], cancellationToken);
                }
                else
                {
                    rootTask = await WalkLayoutAsync(walker, layout!.Root, parentRoot, cancellationToken).ConfigureAwait(false);
                }
                walker.ReleaseCallerWalker();
                // Spare walkers may still be queueing files until the root tree is done.
                try
                {
                    root = await rootTask.ConfigureAwait(false);
                }
                finally
                {
                    files.Complete();
                }
                await files.Completion.ConfigureAwait(false);
            }
            await upload.CommitAsync(cancellationToken).ConfigureAwait(false);
            summary.DataBlobs = upload.Statistics.DataBlobs;
            summary.TreeBlobs = upload.Statistics.TreeBlobs;
            summary.DataAdded = upload.Statistics.DataAdded;
            summary.DataAddedPacked = upload.Statistics.DataAddedPacked;
        }
        await scanCancel.CancelAsync().ConfigureAwait(false);
        try
        {
            await scan.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // the scan only feeds progress totals
        }
        summary.BackupEnd = GoTime.Now(clock);
        if (options.SkipIfUnchanged && parent is not null && parent.Tree == root)
        {
            summary.SkippedUnchanged = true;
            return summary;
        }
        var snapshot = new Snapshot
        {
            Time = time,
            Parent = parent?.Id,
            Tree = root,
            Paths = [.. paths],
            Hostname = options.Hostname,
            Username = Environment.UserName,
            Excludes = [.. options.ExcludePatterns],
            Tags = [.. options.Tags],
        };
        (snapshot.Uid, snapshot.Gid) = CurrentIds();
        if (!options.DryRun)
        {
            var id = await repository.SaveUnpackedAsync(FileType.Snapshot, snapshot.Encode(), cancellationToken).ConfigureAwait(false);
            summary.SnapshotId = new SnapshotId(id);
        }
        return summary;
    }

    private async Task<Snapshot?> FindParentAsync(IReadOnlyList<string> paths, GoTime time, CancellationToken cancellationToken)
    {
        if (options.Parent is SnapshotId explicitParent)
        {
            return await repository.LoadSnapshotAsync(explicitParent, cancellationToken).ConfigureAwait(false);
        }
        if (options.Force)
        {
            return null;
        }
        var all = await repository.LoadSnapshotsAsync(cancellationToken, (_, _) => { }).ConfigureAwait(false);
        return ParentSelector.Choose(all, options.Hostname, paths, time);
    }

    /// <summary>Walks the layout's intermediate directories and targets; returns the pending root tree id.</summary>
    private async Task<Task<BlobId>> WalkLayoutAsync(DirectoryWalker walker, TargetLayout.Entry root, Tree? parentRoot, CancellationToken cancellationToken)
    {
        if (root.IsTarget)
        {
            var children = await walker.WalkDirectoryAsync(root.RealPath, parentRoot, null, cancellationToken).ConfigureAwait(false);
            return walker.SaveTreeAsync(children, cancellationToken);
        }
        var pending = await WalkEntriesAsync(walker, root, parentRoot, cancellationToken).ConfigureAwait(false);
        return walker.SaveTreeAsync(pending, cancellationToken);
    }

    private async Task<List<Task<Node?>>> WalkEntriesAsync(DirectoryWalker walker, TargetLayout.Entry entry, Tree? previousTree, CancellationToken cancellationToken)
    {
        var pending = new List<Task<Node?>>();
        foreach (var (name, child) in entry.Children)
        {
            var previous = previousTree?.Find(name);
            if (child.IsTarget)
            {
                pending.Add(await walker.WalkItemAsync(child.RealPath, name, previous, null, cancellationToken).ConfigureAwait(false));
                continue;
            }
            // An intermediate directory: the real directory's metadata, but only the targets below it.
            var display = Encoding.UTF8.GetString(child.RealPath);
            var st = PosixFileSystem.LStat(child.RealPath);
            var node = new NodeFactory(new UserNames(), options.WithAtime).Create(child.RealPath, name, NodeType.Dir, st, out _);
            var previousSubtree = await walker.LoadPreviousTreeAsync(previous, cancellationToken).ConfigureAwait(false);
            var children = await WalkEntriesAsync(walker, child, previousSubtree, cancellationToken).ConfigureAwait(false);
            pending.Add(walker.FinishDirectoryAsync(display, node, previous, children, cancellationToken));
        }
        return pending;
    }

    private static (uint Uid, uint Gid) CurrentIds()
    {
        try
        {
            var st = PosixFileSystem.LStat(Encoding.UTF8.GetBytes("/proc/self"));
            return (st.Uid, st.Gid);
        }
        catch (IOException)
        {
            return (0, 0);
        }
    }
}
