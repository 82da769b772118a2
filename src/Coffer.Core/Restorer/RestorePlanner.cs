using System.Text;
using Coffer.Core.Interop;
using Coffer.Core.Model;
using Coffer.Core.Packing;
using Coffer.Core.Primitives;
using Coffer.Storage;

namespace Coffer.Core.Restorer;

/// <summary>
/// Walks the snapshot's trees and builds the <see cref="RestorePlan"/>: refuses node names that are not one clean
/// path component or that repeat within a tree (reported, skipped), applies the selector, resolves every content
/// blob in the index (a file with a missing blob is reported and left out), pairs hard links, and looks at what
/// the target already holds (only inside directories that already existed) to decide per entry what to do.
/// Reads the target, never writes it; each directory it adds is passed to <c>planned</c> (the restore makes new
/// ones meanwhile).
/// </summary>
internal sealed class RestorePlanner(Repository.Repository repository, RestoreOptions options, TargetTree target, RestorePlan plan, RestoreCounters counters,
    Action<PlannedDirectory>? planned = null)
{
    private readonly Dictionary<(ulong Device, ulong Inode), PlannedEntry> _linkSources = [];
    private readonly Dictionary<string, string> _ownerNames = new(StringComparer.Ordinal);

    /// <summary>Plans the restore of <paramref name="root"/>'s nodes into the target.</summary>
    public async Task BuildAsync(Model.Tree root, CancellationToken cancellationToken)
    {
        var rootDir = new PlannedDirectory(0, null, [], null) { Existed = target.Root is not null };
        plan.Directories.Add(rootDir);
        await WalkAsync(root, rootDir, [], cancellationToken).ConfigureAwait(false);
    }

    private async Task WalkAsync(Model.Tree tree, PlannedDirectory dir, byte[] dirPath, CancellationToken cancellationToken)
    {
        DirectoryLease? lease = null;
        if (dir.Existed)
        {
            try
            {
                lease = target.Acquire(dir.Index);
            }
            catch (PosixException)
            {
                dir.Existed = false;
            }
        }
        try
        {
            // Names strictly in order cannot repeat; only a tree out of order needs a set to find repeats.
            // --delete needs the set anyway, to tell the target's extra names.
            var names = options.Delete || !tree.IsSorted ? new HashSet<byte[]>(NameComparer.Instance) : null;
            var entries = new List<PlannedEntry>();
            foreach (var node in tree.Nodes)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (!PosixPath.IsSingleComponent(node.Name))
                {
                    counters.Error(dir.DisplayPath, $"tree {dir.DisplayPath}: refusing node name {Quote(node.Name)}: not a single path component");
                    continue;
                }
                if (names is not null && !names.Add(node.Name))
                {
                    counters.Error(dir.DisplayPath, $"tree {dir.DisplayPath}: refusing node name {Quote(node.Name)}: it occurs more than once");
                    continue;
                }
                var path = PosixPath.Join(dirPath.Length == 0 ? "/"u8 : dirPath, node.Name);
                var isDir = node.Type == NodeType.Dir;
                var (selected, descend) = options.Selector.Select(path, isDir);
                if (!selected && !descend)
                {
                    continue;
                }
                FileStatus? existing = null;
                if (lease is { } l && PosixFileSystem.TryLStatAt(l.Handle, node.Name, out var status, out _))
                {
                    existing = status;
                }
                if (isDir)
                {
                    await AddDirectoryAsync(dir, node, path, selected, descend, existing, cancellationToken).ConfigureAwait(false);
                }
                else if (selected)
                {
                    AddEntry(dir, entries, node, path, existing);
                }
            }
            dir.Entries = [.. entries];
            if (options.Delete && lease is { } held)
            {
                CollectExtra(dir, dirPath, held, names!);
            }
        }
        finally
        {
            lease?.Dispose();
        }
    }

    private async Task AddDirectoryAsync(PlannedDirectory parent, Node node, byte[] path, bool selected, bool descend, FileStatus? existing, CancellationToken cancellationToken)
    {
        var dir = new PlannedDirectory(plan.Directories.Count, parent, node.Name, selected ? Metadata(node) : null)
        {
            Existed = existing is { IsDirectory: true },
            Blocked = existing is { IsDirectory: false },
        };
        plan.Directories.Add(dir);
        planned?.Invoke(dir);
        var before = plan.Directories.Count + plan.Entries.Count;
        if (descend)
        {
            if (node.Subtree is not BlobId subtree)
            {
                counters.Error(dir.DisplayPath, $"{dir.DisplayPath}: directory node without a subtree");
            }
            else
            {
                Model.Tree? tree = null;
                try
                {
                    tree = await repository.LoadTreeAsync(subtree, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is RepositoryCorruptException or BackendException)
                {
                    counters.Error(dir.DisplayPath, $"{dir.DisplayPath}: cannot load its tree: {e.Message}");
                }
                if (tree is not null)
                {
                    await WalkAsync(tree, dir, path, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        // A directory that only leads towards possible matches is created only when something below it is.
        // Its index goes to the next directory, so the handle the walk opened for it must not stay cached.
        if (!selected && plan.Directories.Count + plan.Entries.Count == before)
        {
            plan.Directories.RemoveAt(plan.Directories.Count - 1);
            target.Forget(dir.Index);
        }
    }

    private void AddEntry(PlannedDirectory dir, List<PlannedEntry> entries, Node node, byte[] path, FileStatus? existing)
    {
        EntryKind kind;
        switch (node.Type)
        {
            case NodeType.File:
                kind = EntryKind.File;
                break;
            case NodeType.Symlink:
                kind = EntryKind.Symlink;
                break;
            case NodeType.Fifo:
                kind = EntryKind.Fifo;
                break;
            case NodeType.Dev or NodeType.CharDev:
                kind = EntryKind.Device;
                break;
            case NodeType.Socket:
                return; // restic does not restore sockets either
            default:
                counters.Error(Encoding.UTF8.GetString(path), $"{Encoding.UTF8.GetString(path)}: cannot restore a node of type {node.UnknownTypeName ?? node.Type.ToString()}");
                return;
        }
        PlannedEntry? linkSource = null;
        if (kind == EntryKind.File && node.Links > 1 && node.Inode != 0 && _linkSources.TryGetValue((node.DeviceId, node.Inode), out var source))
        {
            kind = EntryKind.HardLink;
            linkSource = source;
        }
        var entry = new PlannedEntry(dir, node.Name, Metadata(node), kind)
        {
            ExistingType = existing is { } e ? e.Mode & FileStatus.TypeMask : 0,
            ExistingSameDevice = kind == EntryKind.Device && existing is { } d
                && (node.Type == NodeType.CharDev ? d.IsCharDevice : d.IsBlockDevice) && d.RDev == node.Device,
            LinkSource = linkSource,
        };
        if (kind == EntryKind.File)
        {
            if (!ResolveContent(entry, node.Content ?? []))
            {
                return;
            }
            if (node.Links > 1 && node.Inode != 0)
            {
                _linkSources[(node.DeviceId, node.Inode)] = entry;
            }
        }
        Decide(entry, existing);
        plan.Entries.Add(entry);
        entries.Add(entry);
    }

    private EntryMetadata Metadata(Node node) => EntryMetadata.From(node, options.OwnerByName, _ownerNames);

    /// <summary>Looks every content blob up in the index: lengths come from there, never from the node's size.</summary>
    private bool ResolveContent(PlannedEntry entry, IReadOnlyList<BlobId> content)
    {
        var lengths = content.Count == 0 ? [] : new int[content.Count];
        long offset = 0;
        for (var i = 0; i < content.Count; i++)
        {
            var handle = new BlobHandle(content[i], BlobType.Data);
            if (!repository.Index.TryLookup(handle, out var found))
            {
                counters.Error(entry.DisplayPath, $"{entry.DisplayPath}: not restored: blob {content[i]} is not in the index");
                return false;
            }
            var length = found.Blob.PlaintextLength;
            if (length < 0 || length > BlobCodec.MaxBlobPlaintext)
            {
                counters.Error(entry.DisplayPath, $"{entry.DisplayPath}: not restored: blob {content[i]} has an absurd length {length} in the index");
                return false;
            }
            lengths[i] = (int)length;
            offset += length;
        }
        // An exact copy of the ids: the node's list (with its spare capacity) becomes garbage with the node.
        entry.Blobs = [.. content];
        entry.Lengths = lengths;
        entry.Size = offset;
        return true;
    }

    /// <summary>Decides from the overwrite mode what happens to an entry whose name already exists in the target.</summary>
    private void Decide(PlannedEntry entry, FileStatus? existingStatus)
    {
        if (existingStatus is not { } existing)
        {
            entry.Action = RestoreAction.Restored;
            return;
        }
        if (options.Overwrite == OverwriteMode.Never)
        {
            entry.Skip = true;
            entry.Action = RestoreAction.Unchanged;
            return;
        }
        entry.Action = RestoreAction.Updated;
        if (entry.Kind != EntryKind.File || !existing.IsRegular)
        {
            return;
        }
        if (options.Overwrite == OverwriteMode.IfNewer && CompareTimes(entry.Metadata.ModTime, existing.ModTime) <= 0)
        {
            entry.Skip = true;
            entry.Action = RestoreAction.Unchanged;
            return;
        }
        entry.InPlace = true;
        if (options.Overwrite == OverwriteMode.IfChanged && (long)existing.Size == entry.Size && CompareTimes(entry.Metadata.ModTime, existing.ModTime) == 0)
        {
            entry.Needed = new bool[entry.Blobs.Length];
            entry.Action = RestoreAction.Unchanged;
            return;
        }
        entry.CheckContent = true;
    }

    private void CollectExtra(PlannedDirectory dir, byte[] dirPath, DirectoryLease lease, HashSet<byte[]> names)
    {
        foreach (var name in PosixFileSystem.ListDirectory(lease.Handle))
        {
            if (names.Contains(name))
            {
                continue;
            }
            var path = PosixPath.Join(dirPath.Length == 0 ? "/"u8 : dirPath, name);
            var isDir = PosixFileSystem.TryLStatAt(lease.Handle, name, out var st, out _) && st.IsDirectory;
            if (options.Selector.Select(path, isDir).Selected)
            {
                dir.AddExtra(name);
            }
        }
    }

    /// <summary>Orders two instants by seconds and nanoseconds (the zone offset does not matter).</summary>
    internal static int CompareTimes(GoTime a, GoTime b) =>
        a.UnixSeconds != b.UnixSeconds ? a.UnixSeconds.CompareTo(b.UnixSeconds) : a.Nanoseconds.CompareTo(b.Nanoseconds);

    private static string Quote(byte[] name) => Encoding.UTF8.GetString(GoQuote.Quote(name));
}
