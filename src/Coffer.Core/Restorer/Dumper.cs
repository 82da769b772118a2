using System.Text;
using Coffer.Core.Model;
using Coffer.Core.Primitives;

namespace Coffer.Core.Restorer;

/// <summary>
/// restic's <c>dump</c>: one file's content, or a directory as a tar or zip archive, streamed from a snapshot.
/// Archive entries are named by their path in the snapshot without the leading slash (<c>src/a.txt</c>), in
/// tree order, directories before what they hold; the dumped directory itself is not an entry (as in restic).
/// Every node name is checked to be one clean path component before it becomes part of an entry name, so no
/// entry can extract outside the archive's root. Memory stays bounded: one tree per directory level and at
/// most two content blobs. Thread-safe for separate calls; one call writes to its stream only.
/// </summary>
public sealed class Dumper(Repository.Repository repository)
{
    /// <summary>
    /// Resolves <paramref name="path"/> (cleaned like Go's <c>path.Clean</c>; <c>/</c> or empty is the root)
    /// under the snapshot tree <paramref name="root"/>. Throws a <see cref="CofferException"/> when a component is
    /// missing, a middle component is not a directory, or the last is neither a file nor a directory.
    /// </summary>
    public async Task<DumpSelection> SelectAsync(BlobId root, string path, CancellationToken cancellationToken)
    {
        var parts = CleanPath(path);
        if (parts.Count == 0)
        {
            return new DumpSelection("/"u8.ToArray(), null, root);
        }
        var tree = root;
        var current = new StringBuilder();
        for (var i = 0; i < parts.Count; i++)
        {
            current.Append('/').Append(parts[i]);
            var listing = await repository.LoadTreeAsync(tree, cancellationToken).ConfigureAwait(false);
            var node = listing.Find(parts[i]) ?? throw new CofferException($"path \"{current}\" not found in snapshot");
            var last = i == parts.Count - 1;
            if (node.Type == NodeType.Dir)
            {
                tree = node.Subtree ?? throw new RepositoryCorruptException("tree", $"directory {current} has no subtree", tree.ToString());
                if (last)
                {
                    return new DumpSelection(Encoding.UTF8.GetBytes(current.ToString()), node, tree);
                }
                continue;
            }
            if (!last)
            {
                throw new CofferException($"\"{current}\" should be a dir, but is a \"{TypeName(node)}\"");
            }
            if (node.Type != NodeType.File)
            {
                throw new CofferException($"\"{current}\" should be a file, but is a \"{TypeName(node)}\"");
            }
            return new DumpSelection(Encoding.UTF8.GetBytes(current.ToString()), node, null);
        }
        throw new InvalidOperationException("unreachable");
    }

    /// <summary>Writes the content of a selected file to <paramref name="output"/> (flushed at the end); returns the byte count.</summary>
    public async Task<long> WriteFileAsync(DumpSelection selection, Stream output, CancellationToken cancellationToken)
    {
        if (selection.IsDirectory || selection.Node is null)
        {
            throw new ArgumentException("the selection is a directory; dump it as an archive", nameof(selection));
        }
        var n = await DumpContent.WriteAsync(repository, selection.Node, selection.Path, output, cancellationToken).ConfigureAwait(false);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        return n;
    }

    /// <summary>
    /// Writes everything below a selected directory as an archive to <paramref name="output"/> and ends the
    /// archive. Sockets and nodes of unknown type are left out (neither format can hold them).
    /// </summary>
    public async Task WriteArchiveAsync(DumpSelection selection, DumpArchiveFormat format, Stream output, CancellationToken cancellationToken)
    {
        if (selection.Tree is not { } tree)
        {
            throw new ArgumentException("the selection is a file; dump its content instead", nameof(selection));
        }
        IDumpArchiveWriter writer = format == DumpArchiveFormat.Zip ? new ZipArchiveWriter(output) : new TarArchiveWriter(output);
        var links = format == DumpArchiveFormat.Tar ? new Dictionary<(ulong Device, ulong Inode), (byte[] Name, Node Node)>() : null;
        var prefix = selection.Path.AsSpan().SequenceEqual("/"u8) ? [] : selection.Path;
        await WriteTreeAsync(writer, tree, prefix, links, cancellationToken).ConfigureAwait(false);
        await writer.FinishAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task WriteTreeAsync(IDumpArchiveWriter writer, BlobId treeId, byte[] directory,
        Dictionary<(ulong Device, ulong Inode), (byte[] Name, Node Node)>? links, CancellationToken cancellationToken)
    {
        var tree = await repository.LoadTreeAsync(treeId, cancellationToken).ConfigureAwait(false);
        foreach (var node in tree.Nodes)
        {
            DumpNameCheck.Ensure(node.Name, directory);
            var path = new byte[directory.Length + 1 + node.Name.Length];
            directory.CopyTo(path, 0);
            path[directory.Length] = (byte)'/';
            node.Name.CopyTo(path, directory.Length + 1);
            switch (node.Type)
            {
                case NodeType.Dir:
                    {
                        var subtree = node.Subtree ?? throw new RepositoryCorruptException("tree", $"directory {Encoding.UTF8.GetString(path)} has no subtree", treeId.ToString());
                        await writer.AddAsync(new DumpArchiveEntry([.. path.AsSpan(1), (byte)'/'], node, null), null, cancellationToken).ConfigureAwait(false);
                        await WriteTreeAsync(writer, subtree, path, links, cancellationToken).ConfigureAwait(false);
                        break;
                    }
                case NodeType.File:
                    {
                        var name = path[1..];
                        byte[]? linkTo = null;
                        if (links is not null && node.Links > 1 && node.Inode != 0)
                        {
                            if (links.TryGetValue((node.DeviceId, node.Inode), out var first) && SameContent(first.Node, node))
                            {
                                linkTo = first.Name;
                            }
                            else
                            {
                                links.TryAdd((node.DeviceId, node.Inode), (name, node));
                            }
                        }
                        await writer.AddAsync(new DumpArchiveEntry(name, node, linkTo),
                            (stream, ct) => DumpContent.WriteAsync(repository, node, path, stream, ct), cancellationToken).ConfigureAwait(false);
                        break;
                    }
                case NodeType.Symlink or NodeType.CharDev or NodeType.Dev or NodeType.Fifo:
                    await writer.AddAsync(new DumpArchiveEntry(path[1..], node, null), null, cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    break;
            }
        }
    }

    private static bool SameContent(Node a, Node b) =>
        a.Size == b.Size && (a.Content ?? []).SequenceEqual(b.Content ?? []);

    private static string TypeName(Node node) => node.Type == NodeType.Unknown ? node.UnknownTypeName ?? "" : Encoding.UTF8.GetString(node.Type.Utf8Name());

    /// <summary>Go's <c>path.Clean</c> split into components: empty and <c>.</c> dropped, <c>..</c> removes the previous one.</summary>
    private static List<string> CleanPath(string path)
    {
        var parts = new List<string>();
        foreach (var part in path.Split('/'))
        {
            if (part.Length == 0 || part == ".")
            {
                continue;
            }
            if (part == "..")
            {
                if (parts.Count > 0)
                {
                    parts.RemoveAt(parts.Count - 1);
                }
                continue;
            }
            parts.Add(part);
        }
        return parts;
    }
}
