using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Coffer.Core.Crypto;
using Coffer.Core.Model;
using Coffer.Core.Primitives;
using Coffer.Core.Repository;
using Coffer.Core.Restorer;
using Coffer.Testing;
using Repo = Coffer.Core.Repository.Repository;

namespace Coffer.Core.Tests.Restorer;

/// <summary>
/// The dump library on an in-memory repository: tar and zip read back with the .NET readers, long and
/// non-UTF-8 names, hard links, content streamed blob by blob, and hostile node names refused.
/// </summary>
public sealed class DumpArchiveTests
{
    private static readonly GoTime Time = new(1_600_000_000, 123_456_789, 0);

    private static async Task<Repo> InitAsync() =>
        await Repo.InitAsync(new InMemoryBackend(), "pw"u8.ToArray(), RepositoryConfig.New(2), new KeyIdentity("u", "h"), CancellationToken.None,
            scrypt: new ScryptParameters(1024, 8, 1));

    private static Node File(string name, IReadOnlyList<BlobId> content, ulong size, uint mode = 0x1a4) =>
        new() { Name = Encoding.UTF8.GetBytes(name), Type = NodeType.File, Mode = mode, ModTime = Time, Content = content, Size = size, Uid = 1000, Gid = 100, User = "alice", Group = "users" };

    private static Node Named(byte[] name, Node node)
    {
        node.Name = name;
        return node;
    }

    /// <summary>Saves blobs and trees; returns the root tree id. Trees are given bottom-up.</summary>
    private sealed class Builder(Repo repo) : IAsyncDisposable
    {
        private readonly UploadSession _upload = repo.BeginUpload(new UploadOptions(), CancellationToken.None);

        public async Task<BlobId> DataAsync(byte[] bytes)
        {
            var id = new BlobId(Id.Hash(bytes));
            await _upload.SaveAsync(BlobType.Data, id, bytes, CancellationToken.None);
            return id;
        }

        public async Task<BlobId> TreeAsync(params Node[] nodes)
        {
            var bytes = new Tree(nodes).Encode();
            var id = new BlobId(Id.Hash(bytes));
            await _upload.SaveAsync(BlobType.Tree, id, bytes, CancellationToken.None);
            return id;
        }

        public Task CommitAsync() => _upload.CommitAsync(CancellationToken.None);

        public ValueTask DisposeAsync() => _upload.DisposeAsync();
    }

    private static async Task<(Repo Repo, BlobId Root, byte[] Big)> SampleAsync()
    {
        var repo = await InitAsync();
        await using var b = new Builder(repo);
        var big = SourceTree.Stream("big", 3_000_000);
        var chunks = new List<BlobId>();
        for (var offset = 0; offset < big.Length; offset += 1_000_000)
        {
            chunks.Add(await b.DataAsync(big[offset..Math.Min(big.Length, offset + 1_000_000)]));
        }
        var hello = await b.DataAsync("hello\n"u8.ToArray());
        var longName = new string('n', 120) + ".txt";
        var deep = await b.TreeAsync(File(longName, [hello], 6));
        var sub = await b.TreeAsync(
            File("a.txt", [hello], 6),
            new Node { Name = "deep"u8.ToArray(), Type = NodeType.Dir, Mode = GoFileMode.Dir | 0x1ed, ModTime = Time, Subtree = deep });
        var linkA = File("link-a", [hello], 6);
        linkA.Inode = 42;
        linkA.Links = 2;
        var linkB = File("link-b", [hello], 6);
        linkB.Inode = 42;
        linkB.Links = 2;
        var root = await b.TreeAsync(
            File("big.bin", chunks, (ulong)big.Length),
            Named([.. "bad"u8, 0xff, .. ".txt"u8], File("x", [hello], 6)),
            File("empty", [], 0),
            linkA,
            linkB,
            new Node { Name = "sub"u8.ToArray(), Type = NodeType.Dir, Mode = GoFileMode.Dir | 0x1ed, ModTime = Time, Subtree = sub },
            new Node { Name = "symlink"u8.ToArray(), Type = NodeType.Symlink, Mode = GoFileMode.Symlink | 0x1ff, ModTime = Time, LinkTarget = "a.txt"u8.ToArray() },
            File("setuid", [hello], 6, GoFileMode.Setuid | 0x1ed));
        await b.CommitAsync();
        return (repo, root, big);
    }

    [Fact]
    public async Task TarReadsBackWithEveryEntry()
    {
        var (repo, root, big) = await SampleAsync();
        var dumper = new Dumper(repo);
        var output = new MemoryStream();
        await dumper.WriteArchiveAsync(await dumper.SelectAsync(root, "/", CancellationToken.None), DumpArchiveFormat.Tar, output, CancellationToken.None);
        Assert.Equal(0, output.Length % 512);
        output.Position = 0;
        using var reader = new TarReader(output);
        var entries = new Dictionary<string, (TarEntry Entry, byte[] Data)>();
        while (reader.GetNextEntry(copyData: true) is { } entry)
        {
            var data = new MemoryStream();
            entry.DataStream?.CopyTo(data);
            entries[entry.Name] = (entry, data.ToArray());
        }
        Assert.Equal(SHA256.HashData(big), SHA256.HashData(entries["big.bin"].Data));
        var longName = "sub/deep/" + new string('n', 120) + ".txt";
        Assert.Equal("hello\n"u8.ToArray(), entries[longName].Data);
        Assert.Equal(TarEntryType.HardLink, entries["link-b"].Entry.EntryType);
        Assert.Equal("link-a", entries["link-b"].Entry.LinkName);
        Assert.Equal(TarEntryType.SymbolicLink, entries["symlink"].Entry.EntryType);
        Assert.Equal("a.txt", entries["symlink"].Entry.LinkName);
        Assert.Equal(TarEntryType.Directory, entries["sub/"].Entry.EntryType);
        Assert.Equal(UnixFileMode.SetUser | (UnixFileMode)0x1ed, entries["setuid"].Entry.Mode);
        var a = (PaxTarEntry)entries["sub/a.txt"].Entry;
        Assert.Equal(1000, a.Uid);
        Assert.Equal("alice", ((PosixTarEntry)a).UserName);
        Assert.Equal("1600000000.123456789", a.ExtendedAttributes["mtime"]);
        Assert.Empty(entries["empty"].Data);
        Assert.Equal(11, entries.Count);
    }

    [Fact]
    public async Task ZipReadsBackWithModesAndContent()
    {
        var (repo, root, big) = await SampleAsync();
        var dumper = new Dumper(repo);
        var output = new MemoryStream();
        await dumper.WriteArchiveAsync(await dumper.SelectAsync(root, "/", CancellationToken.None), DumpArchiveFormat.Zip, output, CancellationToken.None);
        output.Position = 0;
        using var zip = new ZipArchive(output, ZipArchiveMode.Read);
        byte[] Read(string name)
        {
            using var s = zip.GetEntry(name)!.Open();
            var m = new MemoryStream();
            s.CopyTo(m);
            return m.ToArray();
        }
        Assert.Equal(SHA256.HashData(big), SHA256.HashData(Read("big.bin")));
        Assert.Equal("hello\n"u8.ToArray(), Read("link-b"));
        Assert.Equal("a.txt"u8.ToArray(), Read("symlink"));
        Assert.Equal(0xA1FF, zip.GetEntry("symlink")!.ExternalAttributes >>> 16);
        Assert.Equal(0x89ED, zip.GetEntry("setuid")!.ExternalAttributes >>> 16);
        Assert.Equal(0x41ED, zip.GetEntry("sub/")!.ExternalAttributes >>> 16);
        Assert.Equal(new DateTime(2020, 9, 13, 12, 26, 40), zip.GetEntry("sub/a.txt")!.LastWriteTime.DateTime);
        Assert.Equal(11, zip.Entries.Count);
    }

    [Fact]
    public async Task FileContentIsStreamedExactly()
    {
        var (repo, root, big) = await SampleAsync();
        var dumper = new Dumper(repo);
        var selection = await dumper.SelectAsync(root, "big.bin", CancellationToken.None);
        var output = new MemoryStream();
        Assert.Equal(big.Length, await dumper.WriteFileAsync(selection, output, CancellationToken.None));
        Assert.Equal(big, output.ToArray());
        var nested = await dumper.SelectAsync(root, "/sub/deep/../a.txt", CancellationToken.None);
        Assert.Equal("/sub/a.txt"u8.ToArray(), nested.Path);
        var e = await Assert.ThrowsAsync<CofferException>(() => dumper.SelectAsync(root, "/symlink", CancellationToken.None));
        Assert.Contains("should be a file, but is a \"symlink\"", e.Message, StringComparison.Ordinal);
        e = await Assert.ThrowsAsync<CofferException>(() => dumper.SelectAsync(root, "/sub/a.txt/x", CancellationToken.None));
        Assert.Contains("should be a dir", e.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string> HostileNames => new() { "..", ".", "", "a/b", "../../etc", "nul\0byte" };

    [Theory]
    [MemberData(nameof(HostileNames))]
    public async Task HostileNamesAreRefusedInBothFormats(string hostile)
    {
        var name = Encoding.UTF8.GetBytes(hostile);
        var repo = await InitAsync();
        BlobId root;
        await using (var b = new Builder(repo))
        {
            var data = await b.DataAsync("evil"u8.ToArray());
            var inner = await b.TreeAsync(Named(name, File("x", [data], 4)));
            root = await b.TreeAsync(new Node { Name = "d"u8.ToArray(), Type = NodeType.Dir, Mode = GoFileMode.Dir | 0x1ed, ModTime = Time, Subtree = inner });
            await b.CommitAsync();
        }
        var dumper = new Dumper(repo);
        foreach (var format in new[] { DumpArchiveFormat.Tar, DumpArchiveFormat.Zip })
        {
            var e = await Assert.ThrowsAsync<RepositoryCorruptException>(() =>
                dumper.WriteArchiveAsync(new DumpSelection("/"u8.ToArray(), null, root), format, new MemoryStream(), CancellationToken.None));
            Assert.Contains("refusing node name", e.Message, StringComparison.Ordinal);
            Assert.Contains("in /d", e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', e.Message);
        }
    }

    [Fact]
    public void CleanNamesPass()
    {
        Assert.True(DumpNameCheck.IsClean("a"u8));
        Assert.True(DumpNameCheck.IsClean("..."u8));
        Assert.True(DumpNameCheck.IsClean([0xff, 0xfe]));
        Assert.False(DumpNameCheck.IsClean("a/"u8));
    }
}
