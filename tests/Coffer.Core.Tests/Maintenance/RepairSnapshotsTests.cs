using System.Security.Cryptography;
using Coffer.Backends.Local;
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

/// <summary>
/// <see cref="SnapshotRepairer"/> on a snapshot whose packs were deleted (a subtree, part of a file's content, or
/// the root tree), after <see cref="IndexRebuilder"/> made the index match the packs: the repaired snapshot passes
/// <see cref="RepositoryChecker"/>, a dry run writes nothing, and an undamaged snapshot is left alone.
/// </summary>
public sealed class RepairSnapshotsTests : IAsyncLifetime
{
    private readonly TempDirectory _temp = new("coffer-repair-snapshots-");
    private RepositoryBuilder _builder = null!;
    private BlobId _bigFirst;
    private BlobId _bigSecond;
    private BlobId _inner;
    private BlobId _root;
    private SnapshotId _snapshot;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string RepoPath => _temp.Combine("repo");

    public async ValueTask InitializeAsync()
    {
        _builder = await RepositoryBuilder.CreateAsync(LocalBackend.Open(RepoPath));
        var big = RandomNumberGenerator.GetBytes(150_000);
        _bigFirst = await _builder.BlobAsync(big[..100_000]);
        await _builder.FlushAsync();
        _bigSecond = await _builder.BlobAsync(big[100_000..]);
        await _builder.FlushAsync();
        var file = new Node
        {
            NameText = "big.bin",
            Type = NodeType.File,
            Mode = 0x1a4,
            ModTime = RepositoryBuilder.Time,
            AccessTime = RepositoryBuilder.Time,
            ChangeTime = RepositoryBuilder.Time,
            Size = (ulong)big.Length,
            Content = [_bigFirst, _bigSecond],
            Links = 1,
        };
        _inner = await _builder.TreeAsync(await _builder.FileAsync("small.txt", "hello"u8.ToArray()), RepositoryBuilder.Symlink("link", "small.txt"));
        await _builder.FlushAsync();
        _root = await _builder.TreeAsync(file, RepositoryBuilder.Dir("sub", _inner), await _builder.FileAsync("keep.txt", "kept"u8.ToArray()));
        _snapshot = await _builder.SnapshotAsync(_root);
    }

    public async ValueTask DisposeAsync()
    {
        await _builder.DisposeAsync();
        _temp.Dispose();
    }

    private string PackPath(PackId pack) => Path.Combine(RepoPath, "data", pack.ToString()[..2], pack.ToString());

    private SortedDictionary<string, string> Files() => new(
        Directory.GetFiles(RepoPath, "*", SearchOption.AllDirectories).Where(f => !f.Contains("/locks/", StringComparison.Ordinal))
            .ToDictionary(f => f, f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f)))), StringComparer.Ordinal);

    /// <summary>Deletes the packs of the given blobs, rebuilds the index, and opens the repository with it loaded.</summary>
    private async Task<Repo> DamageAsync(params (BlobId Blob, BlobType Type)[] blobs)
    {
        foreach (var (blob, type) in blobs)
        {
            File.Delete(PackPath(_builder.PackOf(blob, type)));
        }
        var repo = await Repo.OpenAsync(LocalBackend.Open(RepoPath), "pw"u8.ToArray(), Ct);
        await IndexRebuilder.RebuildAsync(repo, new IndexRebuildOptions(), null, Ct);
        await repo.LoadIndexAsync(Ct);
        return repo;
    }

    private static Task<CheckResult> CheckAsync(Repo repo) =>
        RepositoryChecker.CheckAsync(repo, new CheckOptions { ReadData = ReadDataSubset.All }, new RecordingCheckReport(), Ct);

    private static List<(string, NodeRepairKind)> Changes(SnapshotRepair repair) => repair.Repairs.Select(r => (r.Path, r.Kind)).ToList();

    private static async Task<List<SnapshotRepair>> RepairAsync(Repo repo, SnapshotRepairOptions options) =>
        await SnapshotRepairer.RepairAsync(repo, await repo.LoadSnapshotsAsync(Ct), options, null, Ct);

    [Fact]
    public async Task MissingSubtreeAndDataBlobAreRepaired()
    {
        var repo = await DamageAsync((_bigSecond, BlobType.Data), (_inner, BlobType.Tree));
        Assert.False((await CheckAsync(repo)).IsHealthy);

        var repair = Assert.Single(await RepairAsync(repo, new SnapshotRepairOptions()));
        Assert.Equal(SnapshotRepairOutcome.Rewritten, repair.Outcome);
        Assert.False(repair.OriginalRemoved);
        Assert.Equal([("/big.bin", NodeRepairKind.ContentRemoved), ("/sub", NodeRepairKind.DirectoryEmptied)], Changes(repair));

        var repaired = await repo.LoadSnapshotAsync(repair.NewId!.Value, Ct);
        Assert.Equal(_snapshot, repaired.Original);
        Assert.Equal([SnapshotRepairer.RepairedTag], repaired.Tags);
        Assert.Equal(["/crafted"], repaired.Paths);
        var root = await repo.LoadTreeAsync(repaired.Tree, Ct);
        var big = root.Find("big.bin")!;
        Assert.Equal([_bigFirst], big.Content);
        Assert.Equal(100_000UL, big.Size);
        Assert.Empty((await repo.LoadTreeAsync(root.Find("sub")!.Subtree!.Value, Ct)).Nodes);
        Assert.NotNull(root.Find("keep.txt"));

        // The original stays (and stays broken); a second run changes nothing more than the first.
        Assert.Equal(2, (await repo.ListIdsAsync(FileType.Snapshot, Ct)).Count);
        var second = await SnapshotRepairer.RepairAsync(repo, [repaired], new SnapshotRepairOptions(), null, Ct);
        Assert.Equal(SnapshotRepairOutcome.Unchanged, Assert.Single(second).Outcome);
    }

    [Fact]
    public async Task ForgetRemovesTheOriginalAndCheckPasses()
    {
        var repo = await DamageAsync((_bigSecond, BlobType.Data), (_inner, BlobType.Tree));
        var repair = Assert.Single(await RepairAsync(repo, new SnapshotRepairOptions { Forget = true }));
        Assert.True(repair.OriginalRemoved);
        Assert.Equal([repair.NewId!.Value.Value], await repo.ListIdsAsync(FileType.Snapshot, Ct));
        var repaired = await repo.LoadSnapshotAsync(repair.NewId.Value, Ct);
        Assert.Empty(repaired.Tags);
        Assert.Equal(_snapshot, repaired.Original);
        var check = await CheckAsync(repo);
        Assert.True(check.IsHealthy);
        Assert.Equal(1, check.Snapshots);
    }

    [Fact]
    public async Task DryRunWritesNothing()
    {
        var repo = await DamageAsync((_bigSecond, BlobType.Data), (_inner, BlobType.Tree));
        var before = Files();
        var repair = Assert.Single(await RepairAsync(repo, new SnapshotRepairOptions { DryRun = true, Forget = true }));
        Assert.Equal(SnapshotRepairOutcome.Rewritten, repair.Outcome);
        Assert.Null(repair.NewId);
        Assert.Equal(2, repair.Repairs.Count);
        Assert.Equal(before, Files());
    }

    [Fact]
    public async Task UndamagedSnapshotIsLeftAlone()
    {
        var repo = await DamageAsync();
        var before = Files();
        var repair = Assert.Single(await RepairAsync(repo, new SnapshotRepairOptions { Forget = true }));
        Assert.Equal(SnapshotRepairOutcome.Unchanged, repair.Outcome);
        Assert.Empty(repair.Repairs);
        Assert.False(repair.OriginalRemoved);
        Assert.Equal(before, Files());
    }

    [Fact]
    public async Task UnreadableRootRemovesTheSnapshot()
    {
        var repo = await DamageAsync((_root, BlobType.Tree));
        var dry = Assert.Single(await RepairAsync(repo, new SnapshotRepairOptions { DryRun = true }));
        Assert.Equal(SnapshotRepairOutcome.RemovedEmpty, dry.Outcome);
        Assert.Single(await repo.ListIdsAsync(FileType.Snapshot, Ct));
        var repair = Assert.Single(await RepairAsync(repo, new SnapshotRepairOptions()));
        Assert.Equal([("/", NodeRepairKind.RootUnreadable)], Changes(repair));
        Assert.Equal(SnapshotRepairOutcome.RemovedEmpty, repair.Outcome);
        Assert.Empty(await repo.ListIdsAsync(FileType.Snapshot, Ct));
    }

    [Fact]
    public async Task IrregularNodeIsDroppedAndWrongSizeFixed()
    {
        var odd = new Node { NameText = "odd", Type = NodeType.Irregular, ModTime = RepositoryBuilder.Time, AccessTime = RepositoryBuilder.Time, ChangeTime = RepositoryBuilder.Time };
        var file = await _builder.FileAsync("short.txt", "12345"u8.ToArray());
        file.Size = 99;
        var id = await _builder.SnapshotAsync(await _builder.TreeAsync(odd, file));
        var repo = await DamageAsync();
        var repair = Assert.Single(await SnapshotRepairer.RepairAsync(repo, [await repo.LoadSnapshotAsync(id, Ct)], new SnapshotRepairOptions(), null, Ct));
        Assert.Equal([("/odd", NodeRepairKind.InvalidTypeRemoved), ("/short.txt", NodeRepairKind.SizeFixed)], Changes(repair));
        var tree = await repo.LoadTreeAsync((await repo.LoadSnapshotAsync(repair.NewId!.Value, Ct)).Tree, Ct);
        Assert.Equal(5UL, Assert.Single(tree.Nodes).Size);
    }

    [Fact]
    public async Task UnreadableSnapshotFileStopsTheRepairUnlessNamedWithForget()
    {
        var bogus = Id.Hash("broken snapshot"u8);
        File.WriteAllBytes(Path.Combine(RepoPath, "snapshots", bogus.ToString()), RandomNumberGenerator.GetBytes(80));
        var repo = await DamageAsync();
        var e = await Assert.ThrowsAsync<CofferException>(() => SnapshotRepairer.SelectAsync(repo, SnapshotFilter.None, [], new SnapshotRepairOptions { Forget = true }, Ct));
        Assert.Contains(bogus.ToString(), e.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<CofferException>(() => SnapshotRepairer.SelectAsync(repo, SnapshotFilter.None, [bogus.ToString()[..8]], new SnapshotRepairOptions(), Ct));

        var selection = await SnapshotRepairer.SelectAsync(repo, SnapshotFilter.None, [bogus.ToString()[..8], _snapshot.ToString()], new SnapshotRepairOptions { Forget = true }, Ct);
        Assert.Equal([new SnapshotId(bogus)], selection.UnreadableRemoved);
        Assert.Equal([_snapshot], selection.Snapshots.Select(s => s.Id!.Value));
        Assert.Equal([_snapshot.Value], await repo.ListIdsAsync(FileType.Snapshot, Ct));
    }
}
