using Coffer.Core.Archiver;
using Coffer.Core.Checker;
using Coffer.Core.Chunking;
using Coffer.Core.Crypto;
using Coffer.Core.Maintenance;
using Coffer.Core.Model;
using Coffer.Core.Primitives;
using Coffer.Core.Repository;
using Coffer.Core.Restorer;
using Coffer.Storage;
using Coffer.Testing;
using Repo = Coffer.Core.Repository.Repository;

namespace Coffer.Core.Tests.Maintenance;

/// <summary><see cref="SnapshotCopier"/> between in-memory repositories: restores, reruns, shared data, chunker parameters, selection.</summary>
public sealed class CopyTests : IDisposable
{
    private static readonly Polynomial SourcePolynomial = Polynomial.Parse("3da3358b4dc173");
    private readonly TempDirectory _temp = new("coffer-copy-");

    public void Dispose() => _temp.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<Repo> InitAsync(InMemoryBackend backend, Polynomial? polynomial = null, int version = 2) =>
        Repo.InitAsync(backend, "pw"u8.ToArray(), RepositoryConfig.New(version, polynomial), new KeyIdentity("u", "h"), Ct, new ScryptParameters(1024, 8, 1));

    private static async Task<Repo> ReopenAsync(InMemoryBackend backend)
    {
        var repo = await Repo.OpenAsync(backend, "pw"u8.ToArray(), Ct);
        await repo.LoadIndexAsync(Ct);
        return repo;
    }

    private static async Task<Snapshot> BackupAsync(Repo repo, string src, string host = "h", params string[] tags)
    {
        var summary = await new SnapshotArchiver(repo, new BackupOptions { Targets = [src], Hostname = host, Tags = tags }).RunAsync(Ct);
        return await repo.LoadSnapshotAsync(summary.SnapshotId!.Value, Ct);
    }

    private static async Task<CopySummary> CopyAsync(Repo source, Repo destination, IReadOnlyList<Snapshot> snapshots, CopyOptions? options = null) =>
        await new SnapshotCopier(source, destination, options).CopyAsync(snapshots, Ct);

    private async Task AssertRestoresAsync(Repo repo, SnapshotId id, string src)
    {
        var snapshot = await repo.LoadSnapshotAsync(id, Ct);
        var root = await SnapshotRestorer.LoadRootAsync(repo, snapshot.Tree, src, Ct);
        var target = _temp.Combine("restore-" + Guid.NewGuid().ToString("N"));
        var summary = await SnapshotRestorer.RestoreAsync(repo, root, new RestoreOptions { Target = target, Verify = true }, null, Ct);
        Assert.Equal(0, summary.Errors);
        var diff = TreeManifest.Diff(TreeManifest.Of(src, withDirTimes: true), TreeManifest.Of(target, withDirTimes: true));
        Assert.True(diff.Count == 0, string.Join("\n", diff));
    }

    private static async Task AssertHealthyAsync(Repo repo)
    {
        var result = await RepositoryChecker.CheckAsync(repo, new CheckOptions { ReadData = ReadDataSubset.All }, NullCheckReport.Instance, Ct);
        Assert.True(result.IsHealthy, $"{result.Errors} errors");
    }

    private static int FileCount(InMemoryBackend backend) =>
        new[] { FileType.Snapshot, FileType.Index, FileType.Pack }.Sum(t => backend.ListAsync(t, CancellationToken.None).ToBlockingEnumerable().Count());

    [Theory]
    [InlineData(2)]
    [InlineData(1)]
    public async Task ACopyRestoresIdenticallyFromTheDestinationWithOtherChunkerParameters(int destinationVersion)
    {
        var src = _temp.Combine("src");
        EveryKindTree.Create(src);
        File.WriteAllBytes(Path.Combine(src, "big.bin"), SourceTree.Stream("copy-big", 3 * 1024 * 1024 + 5));
        var source = await InitAsync(new InMemoryBackend(), SourcePolynomial);
        var original = await BackupAsync(source, src);
        var destinationBackend = new InMemoryBackend();
        var destination = await InitAsync(destinationBackend, version: destinationVersion);

        var copier = new SnapshotCopier(source, destination);
        Assert.False(copier.SameChunker);
        var summary = await copier.CopyAsync([original], Ct);

        var (sourceId, copyId) = Assert.Single(summary.Copied);
        Assert.Equal(original.Id, sourceId);
        Assert.Empty(summary.Skipped);
        Assert.True(summary.DataBlobs > 3);
        var reopened = await ReopenAsync(destinationBackend);
        var copy = await reopened.LoadSnapshotAsync(copyId, Ct);
        Assert.Equal(original.Id, copy.Original);
        Assert.Null(copy.Parent);
        Assert.Equal(original.Tree, copy.Tree);
        Assert.True(ExistingCopyIndex.AreSimilar(original, copy));
        await AssertRestoresAsync(reopened, copyId, src);
        await AssertHealthyAsync(reopened);
    }

    [Fact]
    public async Task ASecondCopyCopiesNothing()
    {
        var src = _temp.Combine("src");
        SourceTree.CreateMixed(src);
        var source = await InitAsync(new InMemoryBackend());
        var first = await BackupAsync(source, src);
        File.WriteAllText(Path.Combine(src, "hello.txt"), "changed\n");
        var second = await BackupAsync(source, src);
        var destinationBackend = new InMemoryBackend();
        var destination = await InitAsync(destinationBackend);
        var once = await CopyAsync(source, destination, [first, second]);
        Assert.Equal(2, once.Copied.Count);
        var files = FileCount(destinationBackend);

        var again = await CopyAsync(source, await ReopenAsync(destinationBackend), [first, second]);
        Assert.Empty(again.Copied);
        Assert.Equal(once.Copied, again.Skipped);
        Assert.Equal(0, again.DataBlobs + again.TreeBlobs);
        Assert.Equal(files, FileCount(destinationBackend));
    }

    [Fact]
    public async Task OnlyTheBlobsTheDestinationLacksAreCopied()
    {
        var src = _temp.Combine("src");
        SourceTree.CreateMixed(src);
        var source = await InitAsync(new InMemoryBackend(), SourcePolynomial);
        var first = await BackupAsync(source, src);
        // The destination cuts files as the source does and already holds a backup of the same files.
        var destination = await InitAsync(new InMemoryBackend(), SourcePolynomial);
        await BackupAsync(destination, src, host: "elsewhere");
        Assert.True(new SnapshotCopier(source, destination).SameChunker);
        var shared = await CopyAsync(source, destination, [first]);
        Assert.Single(shared.Copied);
        Assert.Equal(0, shared.DataBlobs);

        // One file changes: its new blobs, and the trees above it, are all a second copy adds.
        File.WriteAllBytes(Path.Combine(src, "random.bin"), SourceTree.Stream("random-changed", 100_000));
        var second = await BackupAsync(source, src);
        var secondBlobs = await DataBlobsAsync(source, second.Tree);
        var firstBlobs = await DataBlobsAsync(source, first.Tree);
        var more = await CopyAsync(source, destination, [first, second]);
        Assert.Equal(first.Id, Assert.Single(more.Skipped).Source);
        Assert.Equal(secondBlobs.Except(firstBlobs).Count(), more.DataBlobs);
        Assert.True(more.DataBlobs > 0);
        await AssertHealthyAsync(destination);
    }

    [Fact]
    public async Task FiltersAndLatestSelectWhatIsCopiedAndSmallBatchesCommitEachSnapshot()
    {
        var src = _temp.Combine("src");
        SourceTree.CreateMixed(src);
        var source = await InitAsync(new InMemoryBackend());
        var a1 = await BackupAsync(source, src, "a", "daily");
        File.WriteAllText(Path.Combine(src, "hello.txt"), "b\n");
        var b1 = await BackupAsync(source, src, "b");
        File.WriteAllText(Path.Combine(src, "hello.txt"), "a again\n");
        var a2 = await BackupAsync(source, src, "a");

        var destinationBackend = new InMemoryBackend();
        var destination = await InitAsync(destinationBackend);
        var hostA = await SnapshotFilter.From(["a"], null, null).SelectAsync(source, [], Ct);
        var summary = await CopyAsync(source, destination, hostA, new CopyOptions { BatchBytes = 1 });
        Assert.Equal([a1.Id!.Value, a2.Id!.Value], summary.Copied.Select(c => c.Source));
        var tagged = await SnapshotFilter.From(null, ["daily"], null).SelectAsync(source, [], Ct);
        Assert.Equal(a1.Id, Assert.Single(tagged).Id);
        var latestOfB = await SnapshotFilter.From(["b"], null, null).SelectAsync(source, ["latest"], Ct);
        var more = await CopyAsync(source, destination, latestOfB);
        Assert.Equal(b1.Id, Assert.Single(more.Copied).Source);
        var copies = await (await ReopenAsync(destinationBackend)).LoadSnapshotsAsync(Ct);
        Assert.Equal(["a", "b", "a"], copies.Select(c => c.Hostname));
        Assert.Equal(["daily"], copies[0].Tags);
        await AssertHealthyAsync(destination);
    }

    [Fact]
    public async Task ACopyOfACopyKeepsTheFirstOriginalAndIsRecognised()
    {
        var src = _temp.Combine("src");
        SourceTree.CreateMixed(src);
        var source = await InitAsync(new InMemoryBackend());
        var original = await BackupAsync(source, src);
        var middleBackend = new InMemoryBackend();
        var middle = await InitAsync(middleBackend);
        await CopyAsync(source, middle, [original]);
        var middleCopy = Assert.Single(await (await ReopenAsync(middleBackend)).LoadSnapshotsAsync(Ct));
        var last = await InitAsync(new InMemoryBackend());
        var summary = await CopyAsync(middle, last, [middleCopy]);
        var lastCopy = await last.LoadSnapshotAsync(Assert.Single(summary.Copied).Copy, Ct);
        Assert.Equal(original.Id, lastCopy.Original);
        // The original is now recognised in the last repository through the shared persistent id.
        var direct = await CopyAsync(source, last, [original]);
        Assert.Empty(direct.Copied);
        Assert.Equal(lastCopy.Id, Assert.Single(direct.Skipped).ExistingCopy);
    }

    [Fact]
    public void SimilarityFollowsResticsRule()
    {
        var tree = new BlobId(Id.Hash("t"u8));
        Snapshot Make() => new()
        {
            Time = new GoTime(1_600_000_000, 5, 0),
            Tree = tree,
            Paths = ["/a", "/b"],
            Hostname = "h",
            Username = "u",
            Tags = ["x", "y"],
            Excludes = ["*.tmp", "*.bak"],
        };
        var a = Make();
        var b = Make();
        b.Time = new GoTime(1_600_000_000, 5, 7200);
        b.Paths = ["/b", "/a"];
        b.Tags = ["y", "x"];
        b.Parent = new SnapshotId(Id.Hash("p"u8));
        b.Original = new SnapshotId(Id.Hash("o"u8));
        Assert.True(ExistingCopyIndex.AreSimilar(a, b));
        Assert.False(ExistingCopyIndex.AreSimilar(a, Change(Make(), s => s.Excludes = ["*.bak", "*.tmp"])));
        Assert.False(ExistingCopyIndex.AreSimilar(a, Change(Make(), s => s.Tags = ["x"])));
        Assert.False(ExistingCopyIndex.AreSimilar(a, Change(Make(), s => s.Time = new GoTime(1_600_000_000, 6, 0))));
        Assert.False(ExistingCopyIndex.AreSimilar(a, Change(Make(), s => s.Uid = 1)));
        Assert.False(ExistingCopyIndex.AreSimilar(a, Change(Make(), s => s.Hostname = "other")));

        a.Id = new SnapshotId(Id.Hash("a"u8));
        var copy = Make();
        copy.Id = new SnapshotId(Id.Hash("c"u8));
        copy.Original = a.Id;
        var index = new ExistingCopyIndex([copy]);
        Assert.Same(copy, index.Find(a));
        var unrelated = Make();
        unrelated.Id = new SnapshotId(Id.Hash("u"u8));
        Assert.Null(index.Find(unrelated));
    }

    private static Snapshot Change(Snapshot s, Action<Snapshot> change)
    {
        change(s);
        return s;
    }

    private static async Task<HashSet<BlobId>> DataBlobsAsync(Repo repo, BlobId root)
    {
        var blobs = new HashSet<BlobId>();
        await foreach (var walked in TreeWalker.WalkAsync(repo, root, _ => true, Ct))
        {
            blobs.UnionWith(walked.Node.Content ?? []);
        }
        return blobs;
    }
}
