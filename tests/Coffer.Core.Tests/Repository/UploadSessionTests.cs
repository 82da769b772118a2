using Coffer.Core.Crypto;
using Coffer.Core.Packing;
using Coffer.Core.Primitives;
using Coffer.Core.Repository;
using Coffer.Core.Tests.Packing;
using Coffer.Storage;
using Coffer.Testing;
using Repo = Coffer.Core.Repository.Repository;

namespace Coffer.Core.Tests.Repository;

/// <summary>
/// Upload sessions on an in-memory repository with small packs: concurrent saves with duplicates come back
/// exactly from a freshly opened repository, packs stay near their target size, and neither discarding a
/// session nor a failed upload leaves an index entry for a pack that is not stored.
/// </summary>
public sealed class UploadSessionTests
{
    private const int PackSize = 64 * 1024;
    private static readonly byte[] Password = "pw"u8.ToArray();
    private static readonly UploadOptions SmallPacks = new() { PackSize = PackSize };

    private static Task<Repo> InitAsync(IBackend backend) =>
        Repo.InitAsync(backend, Password, RepositoryConfig.New(2), new KeyIdentity("u", "h"), CancellationToken.None,
            scrypt: new ScryptParameters(1024, 8, 1));

    /// <summary>
    /// About 2,000 distinct blobs of 0 to 20 KB: one in ten a tree, half compressible, including the empty
    /// blob and a data and a tree blob with the same content (different handles).
    /// </summary>
    private static List<(BlobHandle Handle, byte[] Plaintext)> MakeBlobs(int count, int seed)
    {
        var random = new Random(seed);
        var blobs = new Dictionary<BlobHandle, byte[]>();
        void Add(BlobType type, byte[] plaintext) => blobs.TryAdd(new BlobHandle(new BlobId(Id.Hash(plaintext)), type), plaintext);
        Add(BlobType.Data, []);
        var shared = PackRoundTripTests.MakeBytes(3000, compressible: true, seed: seed);
        Add(BlobType.Data, shared);
        Add(BlobType.Tree, shared);
        while (blobs.Count < count)
        {
            var plaintext = PackRoundTripTests.MakeBytes(random.Next(1, 20_000), random.Next(2) == 0, random.Next());
            Add(random.Next(10) == 0 ? BlobType.Tree : BlobType.Data, plaintext);
        }
        return [.. blobs.Select(pair => (pair.Key, pair.Value))];
    }

    /// <summary>
    /// Four tasks, each saving its quarter of the blobs plus a random tenth of all of them (so most
    /// duplicates race with another task), some twice. Returns how many saves reported a new blob.
    /// </summary>
    private static async Task<int> SaveConcurrentlyAsync(UploadSession upload, List<(BlobHandle Handle, byte[] Plaintext)> blobs)
    {
        var saved = 0;
        var tasks = Enumerable.Range(0, 4).Select(t => Task.Run(async () =>
        {
            var random = new Random(t);
            var mine = blobs.Where((_, i) => i % 4 == t).ToList();
            mine.AddRange(blobs.Where(_ => random.Next(10) == 0));
            mine.AddRange(mine.Where(_ => random.Next(20) == 0).ToList());
            random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(mine));
            foreach (var (handle, plaintext) in mine)
            {
                if (await upload.SaveAsync(handle.Type, handle.Id, plaintext, CancellationToken.None))
                {
                    Interlocked.Increment(ref saved);
                }
            }
        }));
        await Task.WhenAll(tasks);
        return saved;
    }

    [Fact]
    public async Task ConcurrentSavesComeBackExactlyFromAReopenedRepository()
    {
        var backend = new InMemoryBackend();
        var repo = await InitAsync(backend);
        var blobs = MakeBlobs(2000, seed: 11);
        UploadStatistics statistics;
        await using (var upload = repo.BeginUpload(SmallPacks, CancellationToken.None))
        {
            Assert.Equal(blobs.Count, await SaveConcurrentlyAsync(upload, blobs));
            await upload.CommitAsync(CancellationToken.None);
            statistics = upload.Statistics;
        }
        Assert.Equal(blobs.Count, statistics.DataBlobs + statistics.TreeBlobs);
        Assert.Equal(blobs.Count(b => b.Handle.Type == BlobType.Tree), statistics.TreeBlobs);

        var reopened = await Repo.OpenAsync(backend, Password, CancellationToken.None);
        Assert.NotEmpty(await reopened.LoadIndexAsync(CancellationToken.None));
        Assert.Equal(blobs.Count, reopened.Index.Count);
        foreach (var (handle, plaintext) in blobs)
        {
            Assert.Equal(plaintext, await reopened.LoadBlobAsync(handle, CancellationToken.None));
        }

        var packs = await ListPacksAsync(backend);
        Assert.Equal(statistics.Packs, packs.Count);
        Assert.True(packs.Count > 10, $"only {packs.Count} packs: the pack size limit was not exercised");
        Assert.Equal(packs.Keys.ToHashSet(), reopened.Index.Packs().ToHashSet());
        foreach (var (id, size) in packs)
        {
            var header = await PackReader.ReadHeaderAsync(backend, reopened.Key, id, size, allowCompressed: true, CancellationToken.None);
            Assert.NotEmpty(header);
            Assert.Single(header.Select(b => b.Handle.Type).Distinct());

            // The pack was still below its target before its last blob went in.
            var last = header[^1];
            Assert.True(size - last.Length - PackLayout.EntrySize(last.IsCompressed) < PackSize,
                $"pack {id} of {size} bytes went past {PackSize} before its last blob ({last.Length} bytes)");
        }
    }

    [Fact]
    public async Task EveryIndexEntryPointsAtAStoredPack()
    {
        var backend = new InMemoryBackend();
        var repo = await InitAsync(backend);
        var blobs = MakeBlobs(600, seed: 12);
        await using (var upload = repo.BeginUpload(SmallPacks with { IndexFlushBlobs = 50 }, CancellationToken.None))
        {
            await SaveConcurrentlyAsync(upload, blobs);
            await upload.CommitAsync(CancellationToken.None);
            Assert.True(upload.Statistics.IndexFiles > 1);
        }
        var reopened = await Repo.OpenAsync(backend, Password, CancellationToken.None);
        await reopened.LoadIndexAsync(CancellationToken.None);
        Assert.Equal(blobs.Count, reopened.Index.Count);
        await AssertIndexedPacksExistAsync(backend, reopened);
    }

    [Fact]
    public async Task DisposingWithoutCommitWritesNoIndexFile()
    {
        var backend = new InMemoryBackend();
        var repo = await InitAsync(backend);
        var blobs = MakeBlobs(400, seed: 13);
        await using (var upload = repo.BeginUpload(SmallPacks, CancellationToken.None))
        {
            await SaveConcurrentlyAsync(upload, blobs);
        }
        Assert.Empty(await repo.ListIdsAsync(FileType.Index, CancellationToken.None));
        await AssertIndexedPacksExistAsync(backend, repo);

        var reopened = await Repo.OpenAsync(backend, Password, CancellationToken.None);
        await reopened.LoadIndexAsync(CancellationToken.None);
        Assert.Equal(0, reopened.Index.Count);
    }

    /// <summary>
    /// Which save of the session fails: early and late pack uploads and index files (a session here makes
    /// about 60 saves). A late failure races with CommitAsync enqueueing the last packs.
    /// </summary>
    public static TheoryData<int> FailingSaves() => [.. Enumerable.Range(0, 17).Select(i => 1 + 3 * i)];

    [Theory]
    [MemberData(nameof(FailingSaves))]
    public async Task FailedUploadMakesCommitThrowAndIndexesNoMissingPack(int failAfter)
    {
        var backend = new FaultyBackend(new InMemoryBackend());
        var repo = await InitAsync(backend);
        backend.FailSaveNumber = backend.SaveCalls + failAfter;
        var blobs = MakeBlobs(600, seed: 14);
        var upload = repo.BeginUpload(SmallPacks with { IndexFlushBlobs = 50 }, CancellationToken.None);
        await using (upload)
        {
            try
            {
                await SaveConcurrentlyAsync(upload, blobs);
            }
            catch (Exception e) when (e is BackendException or OperationCanceledException)
            {
                // The failure may already surface while saving; commit must still report it.
            }
            var thrown = await Record.ExceptionAsync(() => upload.CommitAsync(CancellationToken.None));
            Assert.True(thrown is BackendException, $"commit threw {thrown?.GetType().Name ?? "nothing"} after {backend.SaveCalls} saves (the save failing: {backend.FailSaveNumber}): {thrown}");
        }
        Assert.True(backend.SaveCalls >= backend.FailSaveNumber);

        // Neither the session's own index nor what it wrote to the repository names a pack that is not stored.
        await AssertIndexedPacksExistAsync(backend, repo);
        var reopened = await Repo.OpenAsync(backend, Password, CancellationToken.None);
        await reopened.LoadIndexAsync(CancellationToken.None);
        await AssertIndexedPacksExistAsync(backend, reopened);
        foreach (var copy in reopened.Index.All())
        {
            await reopened.LoadBlobAsync(copy, CancellationToken.None);
        }
    }

    private static async Task AssertIndexedPacksExistAsync(IBackend backend, Repo repo)
    {
        var stored = await ListPacksAsync(backend);
        foreach (var pack in repo.Index.Packs())
        {
            Assert.True(stored.ContainsKey(pack), $"the index names pack {pack}, which is not stored");
        }
    }

    private static async Task<Dictionary<PackId, long>> ListPacksAsync(IBackend backend)
    {
        var packs = new Dictionary<PackId, long>();
        await foreach (var entry in backend.ListAsync(FileType.Pack, CancellationToken.None))
        {
            packs.Add(new PackId(Id.Parse(entry.Name)), entry.Size);
        }
        return packs;
    }
}
