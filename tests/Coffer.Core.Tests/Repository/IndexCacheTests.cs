using Coffer.Core.Primitives;
using Coffer.Core.Repository;
using Coffer.Storage;
using Coffer.Testing;
using Repo = Coffer.Core.Repository.Repository;

namespace Coffer.Core.Tests.Repository;

public sealed class IndexCacheTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<Repo> OpenAsync(InMemoryBackend backend, string? cacheDirectory)
    {
        var repo = await Repo.OpenAsync(backend, "pw"u8.ToArray(), Ct);
        repo.IndexCache = cacheDirectory is null ? null : new IndexCache(cacheDirectory);
        return repo;
    }

    private static async Task<List<BlobId>> AddBlobsAsync(RepositoryBuilder builder, int count, string tag)
    {
        var ids = new List<BlobId>();
        for (var i = 0; i < count; i++)
        {
            ids.Add(await builder.BlobAsync(System.Text.Encoding.UTF8.GetBytes($"{tag} blob {i}")));
        }
        await builder.FlushAsync();
        return ids;
    }

    /// <summary>Replaces an index file's content (its name kept), so that only a cache can still answer for it.</summary>
    private static void Spoil(InMemoryBackend backend, Id indexFile) => backend.PutForeign(FileType.Index, indexFile.ToString(), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34]);

    private static bool Has(Repo repo, BlobId blob) => repo.Index.Contains(new BlobHandle(blob, BlobType.Data));

    [Fact]
    public async Task SecondLoadComesFromTheCacheAndFilesAddedSinceAreLoadedOnTop()
    {
        using var dir = new TempDirectory();
        var backend = new InMemoryBackend();
        await using var builder = await RepositoryBuilder.CreateAsync(backend);
        var first = await AddBlobsAsync(builder, 50, "first");
        var repo = await OpenAsync(backend, dir.Path);
        var firstIndexFiles = await repo.LoadIndexAsync(Ct);
        Assert.All(first, b => Assert.True(Has(repo, b)));
        var cacheFile = repo.IndexCache!.PathFor(repo);
        Assert.True(File.Exists(cacheFile));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(cacheFile));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(cacheFile)!));
        Assert.StartsWith("Signature: 8a477f597d28d172789f06886806bc55", await File.ReadAllTextAsync(Path.Combine(dir.Path, "CACHEDIR.TAG"), Ct));

        // The index files it covers are now unreadable: only the cache can answer, and a new file is read on top.
        foreach (var id in firstIndexFiles)
        {
            Spoil(backend, id);
        }
        var second = await AddBlobsAsync(builder, 30, "second");
        var again = await OpenAsync(backend, dir.Path);
        var all = await again.LoadIndexAsync(Ct);
        Assert.Equal(firstIndexFiles.Count + 1, all.Count);
        Assert.All(first.Concat(second), b => Assert.True(Has(again, b)));
        Assert.Equal(80, again.Index.Count);

        // Without the cache the spoiled files fail, which shows the cache was what answered.
        var uncached = await OpenAsync(backend, null);
        await Assert.ThrowsAsync<RepositoryCorruptException>(() => uncached.LoadIndexAsync(Ct));

        // The cache now covers the new file too.
        var newest = all.Except(firstIndexFiles).Single();
        Spoil(backend, newest);
        var third = await OpenAsync(backend, dir.Path);
        await third.LoadIndexAsync(Ct);
        Assert.All(first.Concat(second), b => Assert.True(Has(third, b)));
    }

    [Fact]
    public async Task CacheBuiltFromAFileThatIsGoneIsNotUsed()
    {
        using var dir = new TempDirectory();
        var backend = new InMemoryBackend();
        await using var builder = await RepositoryBuilder.CreateAsync(backend);
        var gone = await AddBlobsAsync(builder, 20, "gone");
        var repo = await OpenAsync(backend, dir.Path);
        var before = await repo.LoadIndexAsync(Ct);
        var kept = await AddBlobsAsync(builder, 20, "kept");
        foreach (var id in before)
        {
            await backend.DeleteAsync(new FileHandle(FileType.Index, id.ToString()), Ct);
        }

        var after = await OpenAsync(backend, dir.Path);
        await after.LoadIndexAsync(Ct);
        Assert.All(kept, b => Assert.True(Has(after, b)));
        Assert.All(gone, b => Assert.False(Has(after, b)));
        Assert.Equal(20, after.Index.Count);
    }

    [Fact]
    public async Task DamagedOrForeignCacheIsIgnoredAndReplaced()
    {
        using var dir = new TempDirectory();
        var backend = new InMemoryBackend();
        await using var builder = await RepositoryBuilder.CreateAsync(backend);
        var blobs = await AddBlobsAsync(builder, 40, "x");
        var repo = await OpenAsync(backend, dir.Path);
        await repo.LoadIndexAsync(Ct);
        var cacheFile = repo.IndexCache!.PathFor(repo);
        var good = await File.ReadAllBytesAsync(cacheFile, Ct);

        foreach (var damage in new Func<byte[], byte[]>[]
        {
            b => { var c = (byte[])b.Clone(); c[c.Length / 2] ^= 0x40; return c; },
            b => b[..(b.Length - 1)],
            _ => [],
            _ => "not a cache"u8.ToArray(),
        })
        {
            await File.WriteAllBytesAsync(cacheFile, damage(good), Ct);
            var reopened = await OpenAsync(backend, dir.Path);
            await reopened.LoadIndexAsync(Ct);
            Assert.All(blobs, b => Assert.True(Has(reopened, b)));
            Assert.Equal(40, reopened.Index.Count);
            // Loaded from the files and written again.
            Assert.True(reopened.IndexCache!.TryLoad(reopened, await reopened.ListIdsAsync(FileType.Index, Ct)) is not null);
        }

        // Another repository's key cannot open it.
        var otherBackend = new InMemoryBackend();
        await using var other = await RepositoryBuilder.CreateAsync(otherBackend);
        await AddBlobsAsync(other, 1, "other");
        var otherRepo = await OpenAsync(otherBackend, dir.Path);
        Directory.CreateDirectory(Path.GetDirectoryName(otherRepo.IndexCache!.PathFor(otherRepo))!);
        File.Copy(cacheFile, otherRepo.IndexCache.PathFor(otherRepo), overwrite: true);
        Assert.Null(otherRepo.IndexCache.TryLoad(otherRepo, await otherRepo.ListIdsAsync(FileType.Index, Ct)));
    }

    [Fact]
    public async Task CacheThatCannotBeWrittenDoesNotStopTheLoad()
    {
        using var dir = new TempDirectory();
        var blocked = dir.Combine("not-a-directory");
        await File.WriteAllTextAsync(blocked, "x", Ct);
        var backend = new InMemoryBackend();
        await using var builder = await RepositoryBuilder.CreateAsync(backend);
        var blobs = await AddBlobsAsync(builder, 5, "y");
        var repo = await OpenAsync(backend, blocked);
        await repo.LoadIndexAsync(Ct);
        Assert.All(blobs, b => Assert.True(Has(repo, b)));
        Assert.False(repo.IndexCache!.Save(repo, repo.Index, await repo.ListIdsAsync(FileType.Index, Ct)));
    }
}
