using System.Text;
using Coffer.Core.Interop;
using Coffer.Core.Model;
using Coffer.Core.Primitives;
using Coffer.Core.Repository;

namespace Coffer.Core.Archiver;

/// <summary>
/// Walks the file system depth-first in name order and turns it into trees. One walker per core: when a
/// spare walker is free, a subdirectory is handed to it and the current walker goes on with the next
/// sibling (entries keep their order, as each step returns a task for its node). Files are handed to the
/// <see cref="FileSaver"/>, which reads them in parallel; a directory's tree is built and saved when
/// all of its children are done. Memory stays bounded by the walkers' depth and the file queue.
/// </summary>
internal sealed class DirectoryWalker(
    Repository.Repository repository,
    UploadSession upload,
    FileSaver files,
    NodeFactory nodes,
    BackupOptions options,
    BackupSummary summary,
    IBackupProgress progress)
{
    private int _spareWalkers = Math.Max(1, Environment.ProcessorCount - 1);

    /// <summary>The caller's own walk phase is over: its walker becomes spare for subtrees still being walked.</summary>
    public void ReleaseCallerWalker() => Interlocked.Increment(ref _spareWalkers);

    private bool TryTakeWalker()
    {
        var spare = Volatile.Read(ref _spareWalkers);
        while (spare > 0)
        {
            var seen = Interlocked.CompareExchange(ref _spareWalkers, spare - 1, spare);
            if (seen == spare)
            {
                return true;
            }
            spare = seen;
        }
        return false;
    }

    /// <summary>Walks one real item (file, dir, link, device …) found at <paramref name="path"/>.</summary>
    public async ValueTask<Task<Node?>> WalkItemAsync(byte[] path, byte[] name, Node? previous, ulong? rootDevice, CancellationToken cancellationToken)
    {
        var display = Encoding.UTF8.GetString(path);
        if (!PosixFileSystem.TryLStat(path, out var st, out var errno))
        {
            Fail(display, $"lstat {display}: {System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(errno)}");
            return Task.FromResult<Node?>(null);
        }
        var type = NodeFactory.TypeOf(st.Mode);
        if (type is null)
        {
            return Task.FromResult<Node?>(null); // sockets are not backed up
        }
        if (options.Filter.Excludes(display, type == NodeType.Dir, (long)st.Size))
        {
            return Task.FromResult<Node?>(null);
        }
        if (type == NodeType.Dir && options.OneFileSystem && rootDevice is ulong dev && st.DeviceId != dev)
        {
            return Task.FromResult<Node?>(null);
        }
        var node = nodes.Create(path, name, type.Value, st, out var warning, previous);
        if (warning is not null)
        {
            Fail(display, warning);
        }
        switch (type)
        {
            case NodeType.Dir:
                var device = rootDevice ?? st.DeviceId;
                if (TryTakeWalker())
                {
                    // A spare walker takes this subtree; the caller goes on with the next sibling.
                    return Task.Run(async () =>
                    {
                        Task<Node?> pending;
                        try
                        {
                            pending = await WalkDirectoryNodeAsync(path, display, node, previous, device, cancellationToken).ConfigureAwait(false);
                        }
                        finally
                        {
                            Interlocked.Increment(ref _spareWalkers);
                        }
                        return await pending.ConfigureAwait(false);
                    }, cancellationToken);
                }
                return await WalkDirectoryNodeAsync(path, display, node, previous, device, cancellationToken).ConfigureAwait(false);
            case NodeType.File:
                if (!options.Force && NodeFactory.Unchanged(previous, st, options.IgnoreInode, options.IgnoreCtime)
                    && previous!.Content!.All(id => upload.Contains(new BlobHandle(id, BlobType.Data))))
                {
                    node.Content = previous.Content;
                    Interlocked.Increment(ref summary.FilesUnmodifiedField);
                    Interlocked.Increment(ref summary.TotalFilesField);
                    Interlocked.Add(ref summary.TotalBytesField, (long)node.Size);
                    progress.FileDone(display, (long)node.Size, FileChange.Unmodified);
                    return Task.FromResult<Node?>(node);
                }
                var saved = await files.EnqueueAsync(path, display, node, cancellationToken).ConfigureAwait(false);
                return CountFileAsync(display, saved, previous);
            default:
                return Task.FromResult<Node?>(node);
        }
    }

    private async Task<Task<Node?>> WalkDirectoryNodeAsync(byte[] path, string display, Node node, Node? previous, ulong device, CancellationToken cancellationToken)
    {
        var previousTree = await LoadPreviousTreeAsync(previous, cancellationToken).ConfigureAwait(false);
        var children = await WalkDirectoryAsync(path, previousTree, device, cancellationToken).ConfigureAwait(false);
        return FinishDirectoryAsync(display, node, previous, children, cancellationToken);
    }

    private async Task<Node?> CountFileAsync(string display, Task<Node?> saved, Node? previous)
    {
        var node = await saved.ConfigureAwait(false);
        if (node is null)
        {
            Interlocked.Increment(ref summary.ErrorsField);
            return null;
        }
        var change = previous is null ? FileChange.New : NodeFactory.Same(previous, node) ? FileChange.Unmodified : FileChange.Changed;
        Count(change, ref summary.FilesNewField, ref summary.FilesChangedField, ref summary.FilesUnmodifiedField);
        Interlocked.Increment(ref summary.TotalFilesField);
        Interlocked.Add(ref summary.TotalBytesField, (long)node.Size);
        progress.FileDone(display, (long)node.Size, change);
        return node;
    }

    /// <summary>Lists a directory and walks every entry; returns the entries' pending nodes in name order.</summary>
    public async ValueTask<List<Task<Node?>>> WalkDirectoryAsync(byte[] path, Tree? previousTree, ulong? rootDevice, CancellationToken cancellationToken)
    {
        List<byte[]> names;
        try
        {
            names = PosixFileSystem.ListDirectory(path).ToList();
        }
        catch (IOException e)
        {
            Fail(Encoding.UTF8.GetString(path), e.Message);
            return [];
        }
        names.Sort(ByteComparer.Instance);
        var children = new List<Task<Node?>>(names.Count);
        foreach (var name in names)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var childPath = PosixPath.Join(path, name);
            children.Add(await WalkItemAsync(childPath, name, previousTree?.Find(name), rootDevice, cancellationToken).ConfigureAwait(false));
        }
        return children;
    }

    /// <summary>Waits for the children, saves the tree and completes the directory's node.</summary>
    public async Task<Node?> FinishDirectoryAsync(string display, Node node, Node? previous, List<Task<Node?>> children, CancellationToken cancellationToken)
    {
        var id = await SaveTreeAsync(children, cancellationToken).ConfigureAwait(false);
        node.Subtree = id;
        node.Content = null;
        var change = previous is null ? FileChange.New : NodeFactory.Same(previous, node) ? FileChange.Unmodified : FileChange.Changed;
        Count(change, ref summary.DirsNewField, ref summary.DirsChangedField, ref summary.DirsUnmodifiedField);
        progress.DirectoryDone(display, change);
        return node;
    }

    /// <summary>Builds the tree of finished children (failed ones left out) and stores it.</summary>
    public async Task<BlobId> SaveTreeAsync(List<Task<Node?>> children, CancellationToken cancellationToken)
    {
        var tree = new Tree();
        foreach (var child in children)
        {
            var n = await child.ConfigureAwait(false);
            if (n is not null)
            {
                tree.Insert(n);
            }
        }
        var json = tree.Encode();
        var id = new BlobId(Id.Hash(json));
        await upload.SaveAsync(BlobType.Tree, id, json, cancellationToken).ConfigureAwait(false);
        return id;
    }

    /// <summary>The parent snapshot's tree for a directory, or null when there is none or it cannot be read.</summary>
    public async Task<Tree?> LoadPreviousTreeAsync(Node? previous, CancellationToken cancellationToken)
    {
        if (previous is not { Type: NodeType.Dir, Subtree: BlobId id })
        {
            return null;
        }
        try
        {
            return await repository.LoadTreeAsync(id, cancellationToken).ConfigureAwait(false);
        }
        catch (RepositoryCorruptException)
        {
            return null; // the parent is only a shortcut: without it, files are read again
        }
    }

    private static void Count(FileChange change, ref long added, ref long changed, ref long unmodified)
    {
        if (change == FileChange.New)
        {
            Interlocked.Increment(ref added);
        }
        else if (change == FileChange.Changed)
        {
            Interlocked.Increment(ref changed);
        }
        else
        {
            Interlocked.Increment(ref unmodified);
        }
    }

    private void Fail(string path, string message)
    {
        Interlocked.Increment(ref summary.ErrorsField);
        progress.Error(path, message);
    }
}
