using Coffer.Core.Crypto;
using Coffer.Core.Model;
using Coffer.Core.Primitives;
using Coffer.Core.Repository;
using Coffer.Storage;
using Repo = Coffer.Core.Repository.Repository;

namespace Coffer.Testing;

/// <summary>
/// Writes repositories by hand, encrypted with the repository's own key, for restore tests: data blobs, trees
/// with any nodes (including names no backup would produce, set on the nodes after the tree is built), and
/// snapshots. <see cref="FlushAsync"/> closes the current packs, so a blob can be put in a pack of its own.
/// </summary>
public sealed class RepositoryBuilder : IAsyncDisposable
{
    /// <summary>The time every crafted node carries.</summary>
    public static readonly GoTime Time = new(1_600_000_000, 123_456_789, 0);

    private UploadSession _upload;

    private RepositoryBuilder(Repo repository)
    {
        Repository = repository;
        _upload = repository.BeginUpload(new UploadOptions(), CancellationToken.None);
    }

    /// <summary>The repository being written.</summary>
    public Repo Repository { get; }

    /// <summary>Creates a version-2 repository on <paramref name="backend"/> with cheap key derivation.</summary>
    public static async Task<RepositoryBuilder> CreateAsync(IBackend backend, string password = "pw")
    {
        var repo = await Repo.InitAsync(backend, System.Text.Encoding.UTF8.GetBytes(password), RepositoryConfig.New(2), new KeyIdentity("u", "h"),
            CancellationToken.None, new ScryptParameters(1024, 8, 1));
        return new RepositoryBuilder(repo);
    }

    /// <summary>Stores one data blob and returns its id.</summary>
    public async Task<BlobId> BlobAsync(byte[] plaintext)
    {
        var id = new BlobId(Id.Hash(plaintext));
        await _upload.SaveAsync(BlobType.Data, id, plaintext, CancellationToken.None);
        return id;
    }

    /// <summary>A file node whose content is <paramref name="content"/> cut into blobs of <paramref name="blobSize"/> bytes.</summary>
    public async Task<Node> FileAsync(string name, byte[] content, int blobSize = 64 * 1024, uint mode = 0x1a4)
    {
        var ids = new List<BlobId>();
        for (var i = 0; i < content.Length; i += blobSize)
        {
            ids.Add(await BlobAsync(content.AsSpan(i, Math.Min(blobSize, content.Length - i)).ToArray()));
        }
        return new Node
        {
            NameText = name,
            Type = NodeType.File,
            Mode = mode,
            ModTime = Time,
            AccessTime = Time,
            ChangeTime = Time,
            Size = (ulong)content.Length,
            Content = ids,
            Links = 1,
        };
    }

    /// <summary>A directory node for a stored tree.</summary>
    public static Node Dir(string name, BlobId subtree) => new()
    {
        NameText = name,
        Type = NodeType.Dir,
        Mode = GoFileMode.Dir | 0x1ed,
        ModTime = Time,
        AccessTime = Time,
        ChangeTime = Time,
        Subtree = subtree,
    };

    /// <summary>A symlink node.</summary>
    public static Node Symlink(string name, string target) => new()
    {
        NameText = name,
        Type = NodeType.Symlink,
        Mode = GoFileMode.Symlink | 0x1ff,
        ModTime = Time,
        AccessTime = Time,
        ChangeTime = Time,
        LinkTarget = System.Text.Encoding.UTF8.GetBytes(target),
        Links = 1,
    };

    /// <summary>Stores a tree exactly as encoded (nodes may have been renamed after the tree was built) and returns its id.</summary>
    public async Task<BlobId> TreeAsync(Tree tree)
    {
        var json = tree.Encode();
        var id = new BlobId(Id.Hash(json));
        await _upload.SaveAsync(BlobType.Tree, id, json, CancellationToken.None);
        return id;
    }

    /// <summary>Stores a tree of <paramref name="nodes"/> (sorted, names unique) and returns its id.</summary>
    public Task<BlobId> TreeAsync(params Node[] nodes) => TreeAsync(new Tree(nodes));

    /// <summary>Commits the open packs and index, and starts a new upload session.</summary>
    public async Task FlushAsync()
    {
        await _upload.CommitAsync(CancellationToken.None);
        await _upload.DisposeAsync();
        _upload = Repository.BeginUpload(new UploadOptions(), CancellationToken.None);
    }

    /// <summary>Flushes, then writes a snapshot of <paramref name="root"/> and returns its id.</summary>
    public async Task<SnapshotId> SnapshotAsync(BlobId root)
    {
        await FlushAsync();
        var snapshot = new Snapshot { Time = Time, Tree = root, Paths = ["/crafted"], Hostname = "h", Username = "u" };
        var id = await Repository.SaveUnpackedAsync(FileType.Snapshot, snapshot.Encode(), CancellationToken.None);
        return new SnapshotId(id);
    }

    /// <summary>The pack holding a blob.</summary>
    public PackId PackOf(BlobId blob, BlobType type = BlobType.Data) =>
        Repository.Index.TryLookup(new BlobHandle(blob, type), out var found) ? found.Pack : throw new InvalidOperationException($"blob {blob} not indexed");

    /// <summary>Where a blob's stored bytes start in its pack.</summary>
    public uint OffsetOf(BlobId blob, BlobType type = BlobType.Data) =>
        Repository.Index.TryLookup(new BlobHandle(blob, type), out var found) ? found.Blob.Offset : throw new InvalidOperationException($"blob {blob} not indexed");

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await _upload.DisposeAsync();
}
