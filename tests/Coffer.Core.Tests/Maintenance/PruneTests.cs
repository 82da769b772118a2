using Coffer.Core.Checker;
using Coffer.Core.Maintenance;
using Coffer.Core.Model;
using Coffer.Core.Primitives;
using Coffer.Core.Repository;
using Coffer.Core.Tests.Checker;
using Coffer.Storage;
using Coffer.Testing;
using Repo = Coffer.Core.Repository.Repository;

namespace Coffer.Core.Tests.Maintenance;

/// <summary>Prune plans and runs on in-memory repositories: what is removed, repacked and kept, and refusals on damage.</summary>
public sealed class PruneTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed class Report : IPruneReport
    {
        public List<string> Lines { get; } = [];

        public void Step(string message) => Lines.Add(message);

        public void Detail(string message) => Lines.Add(message);

        public void Warning(string message) => Lines.Add("warning: " + message);
    }

    private static byte[] Content(string seed, int length) => SourceTree.Stream(seed, length);

    private static async Task<PrunePlan> PruneAsync(Repo repo, PruneOptions? options = null)
    {
        options ??= new PruneOptions();
        var report = new Report();
        var plan = await PrunePlanner.PlanAsync(repo, options, report, Ct);
        await PruneExecutor.ExecuteAsync(repo, plan, options, report, Ct);
        return plan;
    }

    private static async Task AssertHealthyAsync(Repo repo, bool noUnused = true)
    {
        var report = new RecordingCheckReport();
        var result = await RepositoryChecker.CheckAsync(repo, new CheckOptions { ReadData = ReadDataSubset.All }, report, Ct);
        Assert.True(result.IsHealthy, report.ErrorText);
        if (noUnused)
        {
            Assert.Equal(0, result.UnusedBlobs);
            Assert.Equal(0, result.UnreferencedPacks);
        }
    }

    private static async Task<List<string>> NamesAsync(IBackend backend, FileType type)
    {
        var names = new List<string>();
        await foreach (var e in backend.ListAsync(type, Ct))
        {
            names.Add(e.Name);
        }
        return [.. names.Order(StringComparer.Ordinal)];
    }

    private static async Task<Dictionary<FileType, List<string>>> AllNamesAsync(IBackend backend)
    {
        var all = new Dictionary<FileType, List<string>>();
        foreach (var type in FileTypes.Listable)
        {
            all[type] = await NamesAsync(backend, type);
        }
        return all;
    }

    /// <summary>Every file of the snapshot's root tree loads with its content.</summary>
    private static async Task AssertRestorableAsync(Repo fresh, SnapshotId id, Dictionary<string, byte[]> expected)
    {
        var snapshot = await fresh.LoadSnapshotAsync(id, Ct);
        var tree = await fresh.LoadTreeAsync(snapshot.Tree, Ct);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), tree.Nodes.Select(n => n.NameText).Order(StringComparer.Ordinal));
        foreach (var node in tree.Nodes)
        {
            var bytes = new List<byte>();
            foreach (var blob in node.Content!)
            {
                bytes.AddRange(await fresh.LoadBlobAsync(new BlobHandle(blob, BlobType.Data), Ct));
            }
            Assert.Equal(expected[node.NameText], bytes.ToArray());
        }
    }

    private static async Task<Repo> ReopenAsync(IBackend backend)
    {
        var repo = await Repo.OpenAsync(backend, "pw"u8.ToArray(), Ct);
        await repo.LoadIndexAsync(Ct);
        return repo;
    }

    [Fact]
    public async Task UnusedPacksAreRemovedAndUsedDataKept()
    {
        var backend = new InMemoryBackend();
        await using var b = await RepositoryBuilder.CreateAsync(backend);
        var a = Content("a", 300_000);
        var keep = Content("keep", 200_000);
        var oldSnapshot = await b.SnapshotAsync(await b.TreeAsync(await b.FileAsync("a", a)));
        var kept = await b.SnapshotAsync(await b.TreeAsync(await b.FileAsync("keep", keep)));
        await backend.DeleteAsync(new FileHandle(FileType.Snapshot, oldSnapshot.ToString()), Ct);

        var plan = await PruneAsync(b.Repository);
        Assert.Equal(2, plan.Remove.Count); // a's data pack and its tree pack
        Assert.Empty(plan.Repack);
        Assert.Equal(5 + 1, plan.Stats.BlobsRemove); // a's five chunks and its tree
        var fresh = await ReopenAsync(backend);
        await AssertHealthyAsync(fresh);
        await AssertRestorableAsync(fresh, kept, new() { ["keep"] = keep });
        Assert.False(fresh.Index.Contains(new BlobHandle(new BlobId(Id.Hash(a.AsSpan(0, 64 * 1024))), BlobType.Data)));
    }

    [Fact]
    public async Task PartlyUsedPacksAreRepackedKeepingOnlyUsedBlobs()
    {
        var backend = new InMemoryBackend();
        await using var b = await RepositoryBuilder.CreateAsync(backend);
        var a = Content("a", 500_000);
        var keep = Content("keep", 500_000);
        // One flush: a's and keep's blobs share the data pack, both trees the tree pack.
        var fa = await b.FileAsync("a", a);
        var fk = await b.FileAsync("keep", keep);
        var ta = await b.TreeAsync(fa);
        var tk = await b.TreeAsync(fk);
        var sa = await b.SnapshotAsync(ta);
        var sk = await b.SnapshotAsync(tk);
        await backend.DeleteAsync(new FileHandle(FileType.Snapshot, sa.ToString()), Ct);
        var packsBefore = await NamesAsync(backend, FileType.Pack);

        var plan = await PruneAsync(b.Repository, new PruneOptions { MaxUnused = MaxUnused.Parse("0") });
        Assert.Equal(2, plan.Repack.Count);
        Assert.Equal(8 + 1, plan.Stats.BlobsRepackRemove); // a's eight chunks and its tree
        var packsAfter = await NamesAsync(backend, FileType.Pack);
        Assert.Empty(packsAfter.Intersect(packsBefore));
        var fresh = await ReopenAsync(backend);
        await AssertHealthyAsync(fresh);
        await AssertRestorableAsync(fresh, sk, new() { ["keep"] = keep });
        Assert.Equal(8 + 1, fresh.Index.Count);
    }

    [Fact]
    public async Task DataWithinTheUnusedLimitIsLeftInPlace()
    {
        var backend = new InMemoryBackend();
        await using var b = await RepositoryBuilder.CreateAsync(backend);
        var fk = await b.FileAsync("keep", Content("keep", 2_000_000));
        var fa = await b.FileAsync("a", Content("a", 64 * 1024));
        var sk = await b.SnapshotAsync(await b.TreeAsync(fk));
        var sa = await b.SnapshotAsync(await b.TreeAsync(fa));
        await backend.DeleteAsync(new FileHandle(FileType.Snapshot, sa.ToString()), Ct);
        // 64 KiB unused of ~2 MiB is within 5 %: the data pack stays; the tree pack (trees always) is repacked.
        var plan = await PruneAsync(b.Repository);
        Assert.Single(plan.Repack);
        Assert.Equal(1, plan.Stats.BlobsUnused - plan.Stats.BlobsRepackRemove);
        await AssertHealthyAsync(await ReopenAsync(backend), noUnused: false);
    }

    [Fact]
    public async Task DryRunChangesNothing()
    {
        var backend = new InMemoryBackend();
        await using var b = await RepositoryBuilder.CreateAsync(backend);
        var sa = await b.SnapshotAsync(await b.TreeAsync(await b.FileAsync("a", Content("a", 300_000)), await b.FileAsync("b", Content("b", 300_000))));
        await b.SnapshotAsync(await b.TreeAsync(await b.FileAsync("b", Content("b", 300_000))));
        await backend.DeleteAsync(new FileHandle(FileType.Snapshot, sa.ToString()), Ct);
        var before = await AllNamesAsync(backend);
        var plan = await PruneAsync(b.Repository, new PruneOptions { DryRun = true, MaxUnused = MaxUnused.Parse("0%") });
        Assert.NotEmpty(plan.Repack);
        Assert.Equal(before, await AllNamesAsync(backend));
    }

    [Fact]
    public async Task IgnoredSnapshotsCountAsGone()
    {
        var backend = new InMemoryBackend();
        await using var b = await RepositoryBuilder.CreateAsync(backend);
        var sa = await b.SnapshotAsync(await b.TreeAsync(await b.FileAsync("a", Content("a", 300_000))));
        await b.SnapshotAsync(await b.TreeAsync(await b.FileAsync("b", Content("b", 300_000))));
        var plan = await PrunePlanner.PlanAsync(b.Repository, new PruneOptions { DryRun = true, IgnoreSnapshots = new HashSet<SnapshotId> { sa } }, new Report(), Ct);
        Assert.Equal(2, plan.Remove.Count);
    }

    [Fact]
    public async Task UnindexedPacksAreDeletedFirst()
    {
        var backend = new InMemoryBackend();
        await using var b = await RepositoryBuilder.CreateAsync(backend);
        await b.SnapshotAsync(await b.TreeAsync(await b.FileAsync("keep", Content("keep", 100_000))));
        var indexesBefore = await NamesAsync(backend, FileType.Index);
        await b.BlobAsync(Content("orphan", 50_000));
        await b.FlushAsync();
        var orphanIndex = (await NamesAsync(backend, FileType.Index)).Except(indexesBefore).Single();
        await backend.DeleteAsync(new FileHandle(FileType.Index, orphanIndex), Ct);

        var plan = await PruneAsync(b.Repository);
        Assert.Single(plan.RemoveUnreferenced);
        Assert.True(plan.Stats.SizeUnreferenced > 50_000);
        await AssertHealthyAsync(await ReopenAsync(backend));
    }

    [Fact]
    public async Task DuplicateBlobsKeepOneCopy()
    {
        var backend = new InMemoryBackend();
        await using var b = await RepositoryBuilder.CreateAsync(backend);
        var data = Content("dup", 64 * 1024);
        var id = new BlobId(Id.Hash(data));
        var s = await b.SnapshotAsync(await b.TreeAsync(await b.FileAsync("f", data)));
        // A second copy, as an interrupted repack leaves it.
        var session = b.Repository.BeginUpload(new UploadOptions { Repack = true }, Ct);
        await using (session)
        {
            Assert.True(await session.SaveAsync(BlobType.Data, id, data, Ct));
            await session.CommitAsync(Ct);
        }
        Assert.Equal(2, b.Repository.Index.LookupAll(new BlobHandle(id, BlobType.Data)).Count);

        var plan = await PruneAsync(b.Repository);
        Assert.Equal(1, plan.Stats.BlobsDuplicate);
        var fresh = await ReopenAsync(backend);
        await AssertHealthyAsync(fresh);
        Assert.Single(fresh.Index.LookupAll(new BlobHandle(id, BlobType.Data)));
        await AssertRestorableAsync(fresh, s, new() { ["f"] = data });
    }

    [Fact]
    public async Task RefusesWhenAUsedBlobIsInNoIndex()
    {
        var backend = new InMemoryBackend();
        await using var b = await RepositoryBuilder.CreateAsync(backend);
        await b.SnapshotAsync(await b.TreeAsync(await b.FileAsync("f", Content("f", 100_000))));
        foreach (var index in await NamesAsync(backend, FileType.Index))
        {
            await backend.DeleteAsync(new FileHandle(FileType.Index, index), Ct);
        }
        var before = await AllNamesAsync(backend);
        var fresh = await ReopenAsync(backend);
        var e = await Assert.ThrowsAsync<CofferException>(() => PruneAsync(fresh));
        Assert.Contains("not found in the index", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, await AllNamesAsync(backend));
    }

    [Fact]
    public async Task RefusesWhenANeededPackIsMissingOrHasTheWrongSize()
    {
        var backend = new InMemoryBackend();
        await using var b = await RepositoryBuilder.CreateAsync(backend);
        var data = Content("f", 100_000);
        await b.SnapshotAsync(await b.TreeAsync(await b.FileAsync("f", data)));
        var pack = b.PackOf(new BlobId(Id.Hash(data.AsSpan(0, 64 * 1024))));
        var handle = new FileHandle(FileType.Pack, pack.ToString());
        var bytes = await backend.ReadAllAsync(handle, Ct);

        await backend.DeleteAsync(handle, Ct);
        await backend.SaveAsync(handle, bytes.AsMemory(0, bytes.Length - 10), Ct);
        var e = await Assert.ThrowsAsync<CofferException>(async () => await PruneAsync(await ReopenAsync(backend)));
        Assert.Contains("does not match real size", e.Message, StringComparison.Ordinal);

        await backend.DeleteAsync(handle, Ct);
        var before = await AllNamesAsync(backend);
        e = await Assert.ThrowsAsync<CofferException>(async () => await PruneAsync(await ReopenAsync(backend)));
        Assert.Contains("missing from the repository", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, await AllNamesAsync(backend));
    }

    [Fact]
    public async Task RefusesWhenATreeCannotBeLoaded()
    {
        var backend = new InMemoryBackend();
        await using var b = await RepositoryBuilder.CreateAsync(backend);
        var tree = await b.TreeAsync(await b.FileAsync("f", Content("f", 1000)));
        await b.SnapshotAsync(tree);
        var pack = b.PackOf(tree, BlobType.Tree);
        var handle = new FileHandle(FileType.Pack, pack.ToString());
        var bytes = await backend.ReadAllAsync(handle, Ct);
        bytes[b.OffsetOf(tree, BlobType.Tree) + 20] ^= 1;
        await backend.DeleteAsync(handle, Ct);
        await backend.SaveAsync(handle, bytes, Ct);
        var e = await Assert.ThrowsAsync<CofferException>(async () => await PruneAsync(await ReopenAsync(backend)));
        Assert.Contains("failed to load tree", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AnInterruptedPruneLeavesAValidRepositoryAndTheNextFinishes(bool failDeletes)
    {
        var inner = new InMemoryBackend();
        var backend = new FaultyBackend(inner);
        await using var b = await RepositoryBuilder.CreateAsync(backend);
        var fa = await b.FileAsync("a", Content("a", 500_000));
        var keep = Content("keep", 500_000);
        var fk = await b.FileAsync("keep", keep);
        var sa = await b.SnapshotAsync(await b.TreeAsync(fa));
        var sk = await b.SnapshotAsync(await b.TreeAsync(fk));
        await inner.DeleteAsync(new FileHandle(FileType.Snapshot, sa.ToString()), Ct);
        if (failDeletes)
        {
            // Repacked and re-indexed, but the old index files and packs cannot be deleted.
            backend.TransientOperations = FaultOperations.Delete;
            backend.TransientFailures = 1000;
        }
        else
        {
            // The repacked pack is stored, its index file is not.
            backend.FailSaveNumber = backend.SaveCalls + 2;
        }
        await Assert.ThrowsAnyAsync<BackendException>(() => PruneAsync(b.Repository, new PruneOptions { MaxUnused = MaxUnused.Parse("0") }));
        backend.FailSaveNumber = null;
        backend.TransientFailures = 0;
        var fresh = await ReopenAsync(inner);
        await AssertHealthyAsync(fresh, noUnused: false);
        await AssertRestorableAsync(fresh, sk, new() { ["keep"] = keep });

        var plan = await PruneAsync(fresh, new PruneOptions { MaxUnused = MaxUnused.Parse("0") });
        Assert.True(failDeletes ? plan.Stats.BlobsDuplicate > 0 : plan.RemoveUnreferenced.Count == 1);
        var last = await ReopenAsync(inner);
        await AssertHealthyAsync(last);
        await AssertRestorableAsync(last, sk, new() { ["keep"] = keep });
    }

    [Fact]
    public async Task ASecondPruneHasNothingToDo()
    {
        var backend = new InMemoryBackend();
        await using var b = await RepositoryBuilder.CreateAsync(backend);
        // An empty directory's tree does not shrink under zstd, so a backup stores it uncompressed.
        var emptyDir = RepositoryBuilder.Dir("empty", await b.TreeAsync());
        var sa = await b.SnapshotAsync(await b.TreeAsync(await b.FileAsync("a", Content("a", 300_000)), emptyDir));
        await b.SnapshotAsync(await b.TreeAsync(await b.FileAsync("b", Content("b", 300_000)), emptyDir));
        await backend.DeleteAsync(new FileHandle(FileType.Snapshot, sa.ToString()), Ct);
        var first = await PruneAsync(b.Repository, new PruneOptions { MaxUnused = MaxUnused.Parse("0") });
        Assert.NotEmpty(first.Repack);
        var fresh = await ReopenAsync(backend);
        var second = await PruneAsync(fresh, new PruneOptions { MaxUnused = MaxUnused.Parse("0") });
        Assert.Empty(second.Repack);
        Assert.Empty(second.Remove);
        // Repacked trees were compressed, the empty one too; incompressible data stays as the backup stored it.
        Assert.All(fresh.Index.All().Where(e => e.Handle.Type == BlobType.Tree), e => Assert.True(e.Blob.IsCompressed));
        await AssertHealthyAsync(await ReopenAsync(backend));
    }

    [Fact]
    public async Task RepackUncompressedCompressesOldData()
    {
        var backend = new InMemoryBackend();
        await using var b = await RepositoryBuilder.CreateAsync(backend);
        // Written without compression, as an old repository or `--compression off` would have it.
        var text = System.Text.Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("compressible line of text\n", 20_000)));
        var session = b.Repository.BeginUpload(new UploadOptions { Compression = Coffer.Core.Compression.CompressionMode.Off }, Ct);
        BlobId id;
        await using (session)
        {
            id = new BlobId(Id.Hash(text));
            await session.SaveAsync(BlobType.Data, id, text, Ct);
            await session.CommitAsync(Ct);
        }
        var node = new Node { NameText = "t", Type = NodeType.File, Mode = 0x1a4, Content = [id], Size = (ulong)text.Length, ModTime = RepositoryBuilder.Time };
        var s = await b.SnapshotAsync(await b.TreeAsync(node));
        var before = (await ReopenAsync(backend)).Index.LookupAll(new BlobHandle(id, BlobType.Data)).Single();
        Assert.False(before.Blob.IsCompressed);

        var plain = await PrunePlanner.PlanAsync(await ReopenAsync(backend), new PruneOptions { DryRun = true }, new Report(), Ct);
        Assert.Empty(plain.Repack);
        Assert.True(plain.Stats.SizeUncompressed > 0);
        var plan = await PruneAsync(await ReopenAsync(backend), new PruneOptions { RepackUncompressed = true });
        Assert.Contains(before.Pack, plan.Repack);
        var fresh = await ReopenAsync(backend);
        var after = fresh.Index.LookupAll(new BlobHandle(id, BlobType.Data)).Single();
        Assert.True(after.Blob.IsCompressed);
        Assert.True(after.Blob.Length < text.Length / 10);
        await AssertHealthyAsync(fresh);
        await AssertRestorableAsync(fresh, s, new() { ["t"] = text });
    }

    [Fact]
    public async Task MaxRepackSizeLimitsTheRepack()
    {
        var backend = new InMemoryBackend();
        await using var b = await RepositoryBuilder.CreateAsync(backend);
        var files = new List<Node>();
        var snapshots = new List<SnapshotId>();
        for (var i = 0; i < 3; i++)
        {
            // Each flush: one data pack holding a used and an unused file.
            var used = await b.FileAsync($"u{i}", Content($"u{i}", 200_000));
            var unused = await b.FileAsync($"x{i}", Content($"x{i}", 200_000));
            files.Add(used);
            snapshots.Add(await b.SnapshotAsync(await b.TreeAsync(unused)));
        }
        var keep = await b.SnapshotAsync(await b.TreeAsync([.. files]));
        foreach (var id in snapshots)
        {
            await backend.DeleteAsync(new FileHandle(FileType.Snapshot, id.ToString()), Ct);
        }
        var all = await PrunePlanner.PlanAsync(await ReopenAsync(backend), new PruneOptions { DryRun = true, MaxUnused = MaxUnused.Parse("0") }, new Report(), Ct);
        Assert.Equal(3, all.Repack.Count(p => all.Index.Packs[p].All(x => x.Handle.Type == BlobType.Data)));
        var limited = await PruneAsync(await ReopenAsync(backend), new PruneOptions { MaxUnused = MaxUnused.Parse("0"), MaxRepackBytes = 500_000 });
        Assert.True(limited.Stats.SizeRepack < 500_000);
        Assert.True(limited.Stats.PacksKeep >= 2);
        await AssertHealthyAsync(await ReopenAsync(backend), noUnused: false);
    }

    [Fact]
    public async Task VersionOneRepositoriesArePrunedWithoutCompression()
    {
        var backend = new InMemoryBackend();
        var repo = await Repo.InitAsync(backend, "pw"u8.ToArray(), RepositoryConfig.New(1), new KeyIdentity("u", "h"), Ct, new Coffer.Core.Crypto.ScryptParameters(1024, 8, 1));
        var a = Content("a", 200_000);
        var keep = Content("keep", 200_000);
        var ids = new List<SnapshotId>();
        var session = repo.BeginUpload(new UploadOptions(), Ct);
        BlobId treeA, treeK;
        await using (session)
        {
            treeA = await StoreFileTreeAsync(session, "a", a);
            treeK = await StoreFileTreeAsync(session, "keep", keep);
            await session.CommitAsync(Ct);
        }
        foreach (var tree in new[] { treeA, treeK })
        {
            var snapshot = new Snapshot { Time = RepositoryBuilder.Time, Tree = tree, Paths = ["/x"], Hostname = "h" };
            ids.Add(new SnapshotId(await repo.SaveUnpackedAsync(FileType.Snapshot, snapshot.Encode(), Ct)));
        }
        await backend.DeleteAsync(new FileHandle(FileType.Snapshot, ids[0].ToString()), Ct);
        await Assert.ThrowsAsync<CofferException>(() => PrunePlanner.PlanAsync(repo, new PruneOptions { RepackUncompressed = true }, new Report(), Ct));
        var plan = await PruneAsync(repo, new PruneOptions { MaxUnused = MaxUnused.Parse("0") });
        Assert.NotEmpty(plan.Repack);
        Assert.Equal(0, plan.Stats.SizeUncompressed);
        var fresh = await ReopenAsync(backend);
        Assert.All(fresh.Index.All(), e => Assert.False(e.Blob.IsCompressed));
        await AssertHealthyAsync(fresh);
        await AssertRestorableAsync(fresh, ids[1], new() { ["keep"] = keep });
    }

    private static async Task<BlobId> StoreFileTreeAsync(UploadSession session, string name, byte[] content)
    {
        var id = new BlobId(Id.Hash(content));
        await session.SaveAsync(BlobType.Data, id, content, Ct);
        var node = new Node { NameText = name, Type = NodeType.File, Mode = 0x1a4, Content = [id], Size = (ulong)content.Length, ModTime = RepositoryBuilder.Time };
        var json = new Tree([node]).Encode();
        var tree = new BlobId(Id.Hash(json));
        await session.SaveAsync(BlobType.Tree, tree, json, Ct);
        return tree;
    }

    [Fact]
    public async Task TreesWithCapitalisedKeysKeepTheirData()
    {
        var backend = new InMemoryBackend();
        await using var b = await RepositoryBuilder.CreateAsync(backend);
        var content = Content("c", 100_000);
        var blob = await b.BlobAsync(content);
        // Go reads keys in any letter case; so do Coffer's readers.
        var json = System.Text.Encoding.UTF8.GetBytes($"{{\"Nodes\":[{{\"Name\":\"f\",\"Type\":\"file\",\"Mode\":420,\"Size\":{content.Length},\"Content\":[\"{blob}\"]}}]}}\n");
        var tree = new BlobId(Id.Hash(json));
        Assert.Single(Tree.Parse(json).Nodes[0].Content!);
        var session = b.Repository.BeginUpload(new UploadOptions(), Ct);
        await using (session)
        {
            await session.SaveAsync(BlobType.Tree, tree, json, Ct);
            await session.CommitAsync(Ct);
        }
        await b.SnapshotAsync(tree);
        var plan = await PruneAsync(b.Repository);
        Assert.Equal(0, plan.Stats.BlobsRemoveTotal);
        Assert.True((await ReopenAsync(backend)).Index.Contains(new BlobHandle(blob, BlobType.Data)));
    }

    [Theory]
    [InlineData("5%", 1000, 52)]
    [InlineData("0", 1000, 0)]
    [InlineData("10k", 1000, 10240)]
    [InlineData("unlimited", 1000, long.MaxValue)]
    [InlineData(" 50% ", 1000, 1000)]
    public void MaxUnusedLimits(string text, long used, long expected) =>
        Assert.Equal(expected, MaxUnused.Parse(text).Limit(used));

    [Theory]
    [InlineData("")]
    [InlineData("100%")]
    [InlineData("-1%")]
    [InlineData("x%")]
    [InlineData("5q")]
    public void MaxUnusedRejectsBadValues(string text) =>
        Assert.Throws<CofferException>(() => MaxUnused.Parse(text));
}
