using Coffer.Core.Interop;

namespace Coffer.Core.Restorer;

/// <summary>
/// The file system steps around the content: directories in pre-order (a non-directory in a directory's place is
/// removed, never followed), <c>--delete</c>, symlinks, fifos and devices with their metadata, empty and
/// already-current files; after the content, hard links, then directory metadata children first (so mtimes stick),
/// and removal of files that could not be completed. Every step works inside a directory handle from
/// <see cref="TargetTree"/>. Directories are made by <see cref="DirectoryMaker"/> (mostly while planning runs);
/// their contents and their metadata (level by level) are done on every core.
/// </summary>
internal sealed class StructureWriter(RestorePlan plan, RestoreOptions options, TargetTree target, MetadataWriter metadata, RestoreCounters counters,
    DirectoryMaker directories)
{
    /// <summary>Creates directories and everything that has no content to fetch.</summary>
    public void CreateStructure(CancellationToken cancellationToken)
    {
        // Directories first, in pre-order (a parent before its children), on this thread, except those made while
        // planning; then what goes into them, directory by directory on every core: the entries of one directory
        // depend on nothing else.
        foreach (var dir in plan.Directories)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (dir.Ready ??= directories.Ensure(dir))
            {
                continue;
            }
            foreach (var entry in dir.Entries)
            {
                entry.Fail(null);
            }
        }
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(2, Environment.ProcessorCount), CancellationToken = cancellationToken };
        Parallel.ForEach(plan.Directories, parallel, dir =>
        {
            if (dir.Ready == true && (dir.Entries.Length > 0 || dir.Extra.Count > 0))
            {
                FillDirectory(dir);
            }
        });
    }

    private void FillDirectory(PlannedDirectory dir)
    {
        using var lease = target.Acquire(dir.Index);
        foreach (var name in dir.Extra)
        {
            var path = dir.DisplayPathTo(name);
            Guard(path, null, () =>
            {
                TargetTree.Remove(lease.Handle, name);
                counters.Done(path, RestoreAction.Deleted, 0);
            });
        }
        foreach (var entry in dir.Entries)
        {
            switch (entry.Kind)
            {
                case EntryKind.File:
                    Guard(entry.DisplayPath, entry, () => PrepareFile(lease, entry));
                    break;
                case EntryKind.Symlink or EntryKind.Fifo or EntryKind.Device:
                    Guard(entry.DisplayPath, entry, () => CreateSpecial(lease, entry));
                    break;
            }
        }
    }

    private void PrepareFile(DirectoryLease lease, PlannedEntry entry)
    {
        if (entry.Skip)
        {
            counters.BytesSkipped(entry.Size);
            counters.Done(entry.DisplayPath, RestoreAction.Unchanged, entry.Size);
            return;
        }
        if (entry.HadExisting && !entry.InPlace)
        {
            TargetTree.Remove(lease.Handle, entry.Name);
        }
        if (entry.NeededCount > 0)
        {
            return; // created by the content writer on its first blob
        }
        if (entry.InPlace)
        {
            using var handle = PosixFileSystem.OpenWriteAt(lease.Handle, entry.Name, create: false);
            entry.Created = true;
            var status = PosixFileSystem.FStat(handle);
            if (!status.IsRegular)
            {
                throw new PosixException("open", entry.DisplayPath, PosixErrors.InvalidArgument);
            }
            if ((long)status.Size != entry.Size)
            {
                PosixFileSystem.SetLength(handle, entry.Size);
            }
            metadata.Apply(handle, entry.Metadata, entry.DisplayPath, status);
            if (entry.Action == RestoreAction.Unchanged)
            {
                counters.BytesSkipped(entry.Size);
            }
            counters.Done(entry.DisplayPath, entry.Action, entry.Size);
            return;
        }
        using (var handle = PosixFileSystem.OpenWriteAt(lease.Handle, entry.Name, create: true, entry.Metadata.FileCreateMode))
        {
            entry.Created = true;
            metadata.Apply(handle, entry.Metadata, entry.DisplayPath, metadata.Creation.ForNewFile(entry.Directory, entry.Metadata.FileCreateMode, handle));
        }
        counters.Done(entry.DisplayPath, entry.Action, 0);
    }

    private void CreateSpecial(DirectoryLease lease, PlannedEntry entry)
    {
        if (entry.Skip)
        {
            counters.Done(entry.DisplayPath, RestoreAction.Unchanged, 0);
            return;
        }
        var meta = entry.Metadata;
        var action = entry.Action;
        if (entry.HadExisting)
        {
            if (IsSame(lease, entry))
            {
                metadata.ApplyAt(lease.Handle, entry.Name, meta, entry.DisplayPath, entry.Kind == EntryKind.Symlink);
                counters.Done(entry.DisplayPath, RestoreAction.Unchanged, 0);
                return;
            }
            TargetTree.Remove(lease.Handle, entry.Name);
        }
        switch (entry.Kind)
        {
            case EntryKind.Symlink:
                PosixFileSystem.CreateSymlinkAt(meta.LinkTarget, lease.Handle, entry.Name);
                break;
            case EntryKind.Fifo:
                PosixFileSystem.MakeNodeAt(lease.Handle, entry.Name, FileStatus.TypeFifo | meta.Permissions, 0);
                break;
            default:
                var type = meta.CharDevice ? FileStatus.TypeCharDevice : FileStatus.TypeBlockDevice;
                PosixFileSystem.MakeNodeAt(lease.Handle, entry.Name, type | meta.Permissions, meta.Device);
                break;
        }
        metadata.ApplyAt(lease.Handle, entry.Name, meta, entry.DisplayPath, entry.Kind == EntryKind.Symlink);
        counters.Done(entry.DisplayPath, action, 0);
    }

    private static bool IsSame(DirectoryLease lease, PlannedEntry entry) => entry.Kind switch
    {
        EntryKind.Symlink => entry.ExistingType == FileStatus.TypeSymlink && PosixFileSystem.ReadLinkAt(lease.Handle, entry.Name).AsSpan().SequenceEqual(entry.Metadata.LinkTarget),
        EntryKind.Fifo => entry.ExistingType == FileStatus.TypeFifo,
        _ => entry.ExistingSameDevice,
    };

    /// <summary>Creates the hard links, each to the file restored first under another name.</summary>
    public void CreateHardLinks(CancellationToken cancellationToken)
    {
        foreach (var entry in plan.Entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (entry.Kind != EntryKind.HardLink || entry.Directory.Failed)
            {
                continue;
            }
            var source = entry.LinkSource!;
            if (source.Failed || source.Directory.Failed)
            {
                entry.Fail($"{entry.DisplayPath}: not restored: the file it is a hard link of ({source.DisplayPath}) was not restored");
                continue;
            }
            Guard(entry.DisplayPath, entry, () => Link(entry, source));
        }
    }

    private void Link(PlannedEntry entry, PlannedEntry source)
    {
        using var dir = target.Acquire(entry.Directory.Index);
        using var sourceDir = target.Acquire(source.Directory.Index);
        var action = RestoreAction.Restored;
        if (PosixFileSystem.TryLStatAt(dir.Handle, entry.Name, out var existing, out _))
        {
            if (PosixFileSystem.TryLStatAt(sourceDir.Handle, source.Name, out var src, out _) && src.Inode == existing.Inode && src.DeviceId == existing.DeviceId)
            {
                counters.Done(entry.DisplayPath, RestoreAction.Unchanged, source.Size);
                return;
            }
            if (options.Overwrite == OverwriteMode.Never)
            {
                counters.Done(entry.DisplayPath, RestoreAction.Unchanged, source.Size);
                return;
            }
            TargetTree.Remove(dir.Handle, entry.Name);
            action = RestoreAction.Updated;
        }
        PosixFileSystem.CreateHardLinkAt(sourceDir.Handle, source.Name, dir.Handle, entry.Name);
        counters.Done(entry.DisplayPath, action, source.Size);
    }

    /// <summary>Sets directory metadata, deepest first, so that nothing changes a directory after its mtime is set.</summary>
    public void ApplyDirectoryMetadata(CancellationToken cancellationToken)
    {
        // Deepest level first; within a level the directories are independent, so each level runs on every core.
        var depth = new int[plan.Directories.Count];
        var levels = new List<List<int>>();
        for (var i = 1; i < plan.Directories.Count; i++)
        {
            depth[i] = depth[plan.Directories[i].Parent] + 1;
            while (levels.Count <= depth[i])
            {
                levels.Add([]);
            }
            levels[depth[i]].Add(i);
        }
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(2, Environment.ProcessorCount), CancellationToken = cancellationToken };
        for (var level = levels.Count - 1; level > 0; level--)
        {
            Parallel.ForEach(levels[level], parallel, i =>
            {
                var dir = plan.Directories[i];
                if (dir.Failed || !dir.Selected)
                {
                    return;
                }
                Guard(dir.DisplayPath, null, () =>
                {
                    if (dir.Made && dir.ParentDirectory is { Made: true })
                    {
                        // Through the parent's handle: siblings share it, so the cache keeps it, where opening each
                        // directory itself would cost an open and a close per directory. By name only inside a
                        // directory this restore made (no one else can write there while it runs).
                        using var parent = target.Acquire(dir.Parent);
                        var known = metadata.Creation.ForNewDirectory(dir, dir.Metadata.DirectoryCreateMode,
                            () => PosixFileSystem.TryLStatAt(parent.Handle, dir.Name, out var status, out _) ? status : null);
                        metadata.ApplyToDirectoryAt(parent.Handle, dir.Name, dir.Metadata, dir.DisplayPath, known);
                    }
                    else
                    {
                        using var lease = target.Acquire(i);
                        metadata.Apply(lease.Handle, dir.Metadata, dir.DisplayPath);
                    }
                    counters.Done(dir.DisplayPath, dir.Existed ? RestoreAction.Unchanged : RestoreAction.Restored, 0);
                });
            });
        }
    }

    /// <summary>
    /// Removes every file that could not be completed (never left with wrong or missing bytes) and reports each
    /// failed entry once.
    /// </summary>
    public void RemoveFailedFiles()
    {
        foreach (var entry in plan.Entries)
        {
            if (entry.Kind == EntryKind.File && !entry.Failed && !entry.Skip && entry.NeededCount > 0 && Volatile.Read(ref entry.Remaining) != 0)
            {
                entry.Fail($"{entry.DisplayPath}: not restored: incomplete");
            }
            if (!entry.Failed)
            {
                continue;
            }
            if (entry.Error is { } message)
            {
                counters.Error(entry.DisplayPath, message);
            }
            if (entry.Kind == EntryKind.File && entry.Created && !entry.Directory.Failed)
            {
                try
                {
                    using var lease = target.Acquire(entry.Directory.Index);
                    PosixFileSystem.UnlinkAt(lease.Handle, entry.Name, isDirectory: false);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    counters.Error(entry.DisplayPath, $"{entry.DisplayPath}: cannot remove the incomplete file: {e.Message}");
                }
            }
        }
    }

    private void Guard(string path, PlannedEntry? entry, Action step)
    {
        try
        {
            step();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            if (entry is null)
            {
                counters.Error(path, $"{path}: {e.Message}");
            }
            else
            {
                entry.Fail($"{path}: {e.Message}");
            }
        }
    }
}
