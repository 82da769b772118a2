using System.Security.Cryptography;
using Coffer.Core.Model;
using Coffer.Core.Primitives;

namespace Coffer.Core.Restorer;

/// <summary>
/// restic's <c>stats</c>: walks snapshots one after the other and counts as <see cref="StatsMode"/> says.
/// In every mode but restore-size a subtree already walked in an earlier snapshot adds nothing, so it is not
/// walked again. Not thread-safe: add snapshots one at a time.
/// </summary>
public sealed class SnapshotStatsCollector(Repository.Repository repository, StatsMode mode)
{
    private readonly HashSet<BlobId> _walkedTrees = [];
    private readonly HashSet<Id> _contents = [];
    private readonly Dictionary<string, HashSet<BlobId>> _fileBlobs = new(StringComparer.Ordinal);
    private readonly HashSet<BlobHandle> _blobs = [];
    private long _size;
    private long _files;
    private long _blobCount;
    private int _snapshots;

    /// <summary>Counts one snapshot.</summary>
    public async Task AddAsync(Snapshot snapshot, CancellationToken cancellationToken)
    {
        _snapshots++;
        if (mode == StatsMode.RawData)
        {
            if (_blobs.Add(new BlobHandle(snapshot.Tree, BlobType.Tree)))
            {
                await CollectBlobsAsync(snapshot.Tree, cancellationToken).ConfigureAwait(false);
            }
            return;
        }
        var inodes = new HashSet<(ulong Device, ulong Inode)>();
        await WalkAsync(snapshot.Tree, [], inodes, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The totals so far. In raw-data mode this looks up every collected blob in the index; a blob missing
    /// from it throws <see cref="RepositoryCorruptException"/>.
    /// </summary>
    public StatsTotals Totals()
    {
        if (mode != StatsMode.RawData)
        {
            return new StatsTotals(_size, _files, _blobCount, _snapshots);
        }
        long size = 0;
        foreach (var handle in _blobs)
        {
            if (!repository.Index.TryLookup(handle, out var found))
            {
                throw new RepositoryCorruptException("index", "blob not found in the index", handle.ToString());
            }
            size += found.Blob.Length;
        }
        return new StatsTotals(size, 0, _blobs.Count, _snapshots);
    }

    private async Task WalkAsync(BlobId treeId, byte[] prefix, HashSet<(ulong Device, ulong Inode)> inodes, CancellationToken cancellationToken)
    {
        var tree = await repository.LoadTreeAsync(treeId, cancellationToken).ConfigureAwait(false);
        foreach (var node in tree.Nodes)
        {
            var path = new byte[prefix.Length + 1 + node.Name.Length];
            prefix.CopyTo(path, 0);
            path[prefix.Length] = (byte)'/';
            node.Name.CopyTo(path, prefix.Length + 1);
            if (node.Type == NodeType.Dir && node.Subtree is { } subtree && mode != StatsMode.RestoreSize && !_walkedTrees.Add(subtree))
            {
                // Everything below was counted when this subtree was first met.
                continue;
            }
            Count(node, path, inodes);
            if (node.Type == NodeType.Dir && node.Subtree is { } sub)
            {
                await WalkAsync(sub, path, inodes, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private void Count(Node node, byte[] path, HashSet<(ulong Device, ulong Inode)> inodes)
    {
        switch (mode)
        {
            case StatsMode.RestoreSize:
                _files++;
                if (node.Inode == 0 || inodes.Add((node.DeviceId, node.Inode)))
                {
                    _size += (long)node.Size;
                }
                break;
            case StatsMode.FilesByContents:
                if (_contents.Add(ContentKey(node)))
                {
                    _size += (long)node.Size;
                    _files++;
                }
                break;
            case StatsMode.BlobsPerFile:
                if (!_contents.Add(ContentKey(node)))
                {
                    break;
                }
                foreach (var blob in node.Content ?? [])
                {
                    var key = System.Text.Encoding.Latin1.GetString(path);
                    if (!_fileBlobs.TryGetValue(key, out var seen))
                    {
                        _fileBlobs[key] = seen = [];
                        _files++;
                    }
                    if (seen.Add(blob))
                    {
                        var handle = new BlobHandle(blob, BlobType.Data);
                        if (!repository.Index.TryLookup(handle, out var found))
                        {
                            throw new RepositoryCorruptException("index", $"blob of {System.Text.Encoding.UTF8.GetString(path)} not found in the index", handle.ToString());
                        }
                        _size += found.Blob.PlaintextLength;
                        _blobCount++;
                    }
                }
                break;
            default:
                break;
        }
    }

    private async Task CollectBlobsAsync(BlobId treeId, CancellationToken cancellationToken)
    {
        var tree = await repository.LoadTreeAsync(treeId, cancellationToken).ConfigureAwait(false);
        foreach (var node in tree.Nodes)
        {
            if (node.Type == NodeType.File)
            {
                foreach (var id in node.Content ?? [])
                {
                    _blobs.Add(new BlobHandle(id, BlobType.Data));
                }
            }
            else if (node.Type == NodeType.Dir && node.Subtree is { } subtree && _blobs.Add(new BlobHandle(subtree, BlobType.Tree)))
            {
                await CollectBlobsAsync(subtree, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>restic's file identity by contents: SHA-256 over the concatenated content blob ids.</summary>
    private static Id ContentKey(Node node)
    {
        var content = node.Content ?? [];
        var bytes = new byte[content.Count * Id.Size];
        for (var i = 0; i < content.Count; i++)
        {
            content[i].Value.CopyTo(bytes.AsSpan(i * Id.Size));
        }
        return Id.FromBytes(SHA256.HashData(bytes));
    }
}
