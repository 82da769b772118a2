using System.Security.Cryptography;
using System.Text;
using Coffer.Backends.Local;
using Coffer.Core.Checker;
using Coffer.Core.Model;
using Coffer.Core.Primitives;
using Coffer.Storage;
using Coffer.Testing;
using Repo = Coffer.Core.Repository.Repository;

namespace Coffer.Core.Tests.Checker;

/// <summary>
/// <see cref="RepositoryChecker"/> on repositories crafted with <see cref="RepositoryBuilder"/> on disk and then
/// damaged file by file: each kind of damage is found and named; harmless oddities are hints.
/// </summary>
public sealed class RepositoryCheckerTests : IAsyncLifetime
{
    private readonly TempDirectory _temp = new("coffer-check-");
    private RepositoryBuilder _builder = null!;
    private BlobId _fileBlob;
    private BlobId _rootTree;
    private SnapshotId _snapshot;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string RepoPath => _temp.Combine("repo");

    public async ValueTask InitializeAsync()
    {
        _builder = await RepositoryBuilder.CreateAsync(LocalBackend.Open(RepoPath));
        var content = RandomNumberGenerator.GetBytes(200_000);
        var file = await _builder.FileAsync("big.bin", content);
        _fileBlob = file.Content![0];
        await _builder.FlushAsync(); // data packs of their own, so damaging one leaves the trees alone
        var inner = await _builder.TreeAsync(await _builder.FileAsync("small.txt", "hello"u8.ToArray()), RepositoryBuilder.Symlink("link", "small.txt"));
        _rootTree = await _builder.TreeAsync(file, RepositoryBuilder.Dir("sub", inner));
        _snapshot = await _builder.SnapshotAsync(_rootTree);
    }

    public async ValueTask DisposeAsync()
    {
        await _builder.DisposeAsync();
        _temp.Dispose();
    }

    private static async Task<(CheckResult Result, RecordingCheckReport Report)> CheckAsync(Repo repo, CheckOptions? options = null)
    {
        var report = new RecordingCheckReport();
        var result = await RepositoryChecker.CheckAsync(repo, options ?? new CheckOptions(), report, Ct);
        Assert.Equal(result.Errors, report.Errors.Count());
        Assert.Equal(result.Hints, report.Hints.Count());
        return (result, report);
    }

    private Task<(CheckResult Result, RecordingCheckReport Report)> CheckAsync(CheckOptions? options = null) => CheckAsync(_builder.Repository, options);

    private string PackPath(PackId pack) => Path.Combine(RepoPath, "data", pack.ToString()[..2], pack.ToString());

    private static void Rewrite(string path, Func<byte[], byte[]> change)
    {
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.WriteAllBytes(path, change(File.ReadAllBytes(path)));
    }

    [Fact]
    public async Task HealthyRepositoryPassesWithEveryStepAndReadData()
    {
        var (result, report) = await CheckAsync(new CheckOptions { ReadData = ReadDataSubset.All });
        Assert.True(result.IsHealthy, report.ErrorText);
        Assert.Empty(report.Problems);
        Assert.Equal([CheckPhase.LoadIndexes, CheckPhase.Packs, CheckPhase.Structure, CheckPhase.ReadData], report.Phases);
        Assert.Equal(1, result.Snapshots);
        Assert.Equal(2, result.Trees);
        Assert.Equal(result.IndexedPacks, result.StoredPacks);
        Assert.Equal(result.IndexedPacks, result.PacksRead);
        Assert.Equal(0, result.UnusedBlobs);
        Assert.Equal(result.IndexedPacks, report.PacksRead);
    }

    [Fact]
    public async Task MissingPackIsNamed()
    {
        var pack = _builder.PackOf(_fileBlob);
        File.Delete(PackPath(pack));
        var (result, report) = await CheckAsync(new CheckOptions { ReadData = ReadDataSubset.All });
        Assert.False(result.IsHealthy);
        Assert.Contains(report.Errors, e => e.Message == $"pack {pack}: not found");
        Assert.Equal(result.IndexedPacks - 1, result.PacksRead);
    }

    [Fact]
    public async Task MissingIndexLeavesPacksUnreferencedAndBlobsUnfound()
    {
        foreach (var f in Directory.GetFiles(Path.Combine(RepoPath, "index")))
        {
            File.Delete(f);
        }
        var repo = await Repo.OpenAsync(LocalBackend.Open(RepoPath), "pw"u8.ToArray(), Ct);
        var (result, report) = await CheckAsync(repo);
        Assert.False(result.IsHealthy);
        Assert.Equal(result.StoredPacks, result.UnreferencedPacks);
        Assert.True(result.UnreferencedPacks >= 2);
        Assert.All(report.Hints, h => Assert.EndsWith(": not referenced in any index", h.Message, StringComparison.Ordinal));
        var error = Assert.Single(report.Errors);
        Assert.Equal($"snapshot {_snapshot.Value}: tree {_rootTree} not found in index", error.Message);
    }

    [Fact]
    public async Task UnreferencedPackAloneIsOnlyAHint()
    {
        // A pack written by a backup still running (its index not yet saved) looks exactly like this.
        var repo = await Repo.OpenAsync(LocalBackend.Open(RepoPath), "pw"u8.ToArray(), Ct);
        await using (var upload = repo.BeginUpload(new Core.Repository.UploadOptions(), Ct))
        {
            await upload.SaveAsync(BlobType.Data, new BlobId(Id.Hash("orphan"u8)), "orphan"u8.ToArray(), Ct);
            await upload.CommitAsync(Ct);
        }
        var indexes = Directory.GetFiles(Path.Combine(RepoPath, "index")).OrderBy(File.GetLastWriteTimeUtc).ToList();
        File.Delete(indexes[^1]);
        var (result, report) = await CheckAsync();
        Assert.True(result.IsHealthy, report.ErrorText);
        Assert.Equal(1, result.UnreferencedPacks);
        Assert.Single(report.Hints);
    }

    [Fact]
    public async Task DuplicateBlobIsAHintNotAnError()
    {
        // A second handle on the repository has an empty index, so it stores the blob again in a new pack.
        var repo = await Repo.OpenAsync(LocalBackend.Open(RepoPath), "pw"u8.ToArray(), Ct);
        var plaintext = await _builder.Repository.LoadBlobAsync(new BlobHandle(_fileBlob, BlobType.Data), Ct);
        await using (var upload = repo.BeginUpload(new Core.Repository.UploadOptions(), Ct))
        {
            await upload.SaveAsync(BlobType.Data, _fileBlob, plaintext, Ct);
            await upload.CommitAsync(Ct);
        }
        var (result, report) = await CheckAsync(await Repo.OpenAsync(LocalBackend.Open(RepoPath), "pw"u8.ToArray(), Ct), new CheckOptions { ReadData = ReadDataSubset.All });
        Assert.True(result.IsHealthy, report.ErrorText);
        Assert.Equal(1, result.DuplicateBlobs);
        var hint = Assert.Single(report.Hints);
        Assert.Equal(CheckArea.Blob, hint.Area);
        Assert.Contains($"data blob {_fileBlob} is stored in 2 packs", hint.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TruncatedPackHasUnexpectedSize()
    {
        var pack = _builder.PackOf(_fileBlob);
        var path = PackPath(pack);
        var size = new FileInfo(path).Length;
        Rewrite(path, b => b[..^100]);
        var (result, report) = await CheckAsync(new CheckOptions { ReadData = ReadDataSubset.All });
        Assert.False(result.IsHealthy);
        Assert.Contains(report.Errors, e => e.Message == $"pack {pack}: unexpected file size: got {size - 100}, expected {size}");
        // Reading it finds the hash wrong and the blobs past the new end.
        Assert.Contains(report.Errors, e => e.Message.StartsWith($"pack {pack}: content does not match its name", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PackLongerThanTheIndexSaysHasUnexpectedSize()
    {
        var pack = _builder.PackOf(_fileBlob);
        var path = PackPath(pack);
        var size = new FileInfo(path).Length;
        Rewrite(path, b => [.. b, 1, 2, 3]);
        var (result, report) = await CheckAsync();
        var error = Assert.Single(report.Errors);
        Assert.Equal($"pack {pack}: unexpected file size: got {size + 3}, expected {size}", error.Message);
        Assert.False(result.IsHealthy);
    }

    [Fact]
    public async Task DamagedHeaderIsFoundWithoutReadingData()
    {
        var pack = _builder.PackOf(_fileBlob);
        Rewrite(PackPath(pack), b =>
        {
            b[^10] ^= 0x40;
            return b;
        });
        var (_, report) = await CheckAsync();
        var error = Assert.Single(report.Errors);
        Assert.Equal($"pack {pack}: header: pack header: ciphertext verification failed", error.Message);
    }

    [Fact]
    public async Task FlippedByteInDataBlobIsFoundOnlyByReadData()
    {
        var pack = _builder.PackOf(_fileBlob);
        var offset = _builder.OffsetOf(_fileBlob);
        Rewrite(PackPath(pack), b =>
        {
            b[offset + 40] ^= 1;
            return b;
        });
        var (structural, _) = await CheckAsync();
        Assert.True(structural.IsHealthy);
        var (result, report) = await CheckAsync(new CheckOptions { ReadData = ReadDataSubset.All });
        Assert.False(result.IsHealthy);
        Assert.Contains(report.Errors, e => e.Message == $"pack {pack}: blob {_fileBlob}: ciphertext verification failed");
        Assert.Contains(report.Errors, e => e.Message.StartsWith($"pack {pack}: content does not match its name", StringComparison.Ordinal));
        Assert.Equal(2, result.Errors);
    }

    [Fact]
    public async Task SnapshotOfMissingTreeIsNamed()
    {
        var missing = new BlobId(Id.Hash("no such tree"u8));
        var snapshot = await _builder.SnapshotAsync(missing);
        var (_, report) = await CheckAsync();
        var error = Assert.Single(report.Errors);
        Assert.Equal(CheckArea.Snapshot, error.Area);
        Assert.Equal($"snapshot {snapshot.Value}: tree {missing} not found in index", error.Message);
    }

    [Fact]
    public async Task UndecryptableSnapshotIsNamed()
    {
        var garbage = RandomNumberGenerator.GetBytes(300);
        var id = Id.Hash(garbage);
        await _builder.Repository.Backend.SaveAsync(new FileHandle(FileType.Snapshot, id.ToString()), garbage, Ct);
        var (result, report) = await CheckAsync();
        var error = Assert.Single(report.Errors);
        Assert.Equal($"snapshot {id}: could not be loaded: ciphertext verification failed", error.Message);
        Assert.Equal(2, result.Snapshots);
    }

    [Fact]
    public async Task UndecryptableIndexIsNamed()
    {
        var garbage = RandomNumberGenerator.GetBytes(300);
        var id = Id.Hash(garbage);
        await _builder.Repository.Backend.SaveAsync(new FileHandle(FileType.Index, id.ToString()), garbage, Ct);
        var (_, report) = await CheckAsync();
        var error = Assert.Single(report.Errors);
        Assert.Equal(CheckArea.Index, error.Area);
        Assert.Equal($"index {id}: could not be loaded: ciphertext verification failed", error.Message);
    }

    [Fact]
    public async Task TreeProblemsAreListedPerTree()
    {
        var good = await _builder.FileAsync("a", "a"u8.ToArray());
        var missingBlob = new BlobId(Id.Hash("absent"u8));
        var dangling = await _builder.FileAsync("b", "b"u8.ToArray());
        dangling.Content = [missingBlob];
        var escape = await _builder.FileAsync("c", "c"u8.ToArray());
        var twice = await _builder.FileAsync("d", "d"u8.ToArray());
        var tree = new Tree([good, dangling, escape, twice, RepositoryBuilder.Dir("e", new BlobId(Id.Hash("no subtree"u8)))]);
        escape.NameText = "../x";
        twice.NameText = "a";
        var treeId = await _builder.TreeAsync(tree);
        await _builder.SnapshotAsync(treeId);
        var (_, report) = await CheckAsync();
        var error = Assert.Single(report.Errors);
        Assert.Equal(CheckArea.Tree, error.Area);
        Assert.Equal(treeId.ToString(), error.Subject);
        Assert.Equal(
            [
                $"file \"b\" blob {missingBlob} not found in index",
                "node name \"../x\" is not a single path component",
                "node name \"a\" occurs more than once",
                $"dir \"e\" subtree {new BlobId(Id.Hash("no subtree"u8))} not found in index",
            ],
            error.Details);
    }

    [Fact]
    public async Task UnusedBlobsAreCountedAndErrorsOnlyWhenAsked()
    {
        var unused = await _builder.BlobAsync(Encoding.UTF8.GetBytes("nobody uses me"));
        await _builder.FlushAsync();
        var (result, _) = await CheckAsync();
        Assert.True(result.IsHealthy);
        Assert.Equal(1, result.UnusedBlobs);
        var (strict, report) = await CheckAsync(new CheckOptions { CheckUnused = true });
        Assert.False(strict.IsHealthy);
        Assert.Equal($"unused data blob {unused}", Assert.Single(report.Errors).Message);
    }

    [Fact]
    public async Task SubsetGroupsTogetherReadEveryPackOnce()
    {
        var (all, _) = await CheckAsync();
        var read = 0;
        for (var n = 1; n <= 3; n++)
        {
            var (result, report) = await CheckAsync(new CheckOptions { ReadData = ReadDataSubset.OfGroup(n, 3) });
            Assert.True(result.IsHealthy);
            Assert.Equal(all.IndexedPacks, report.Plan!.TotalPacks);
            read += result.PacksRead;
        }
        Assert.Equal(all.IndexedPacks, read);
        var (some, _) = await CheckAsync(new CheckOptions { ReadData = ReadDataSubset.OfPercentage(1), Random = new Random(7) });
        Assert.Equal(1, some.PacksRead);
        var (sized, _) = await CheckAsync(new CheckOptions { ReadData = ReadDataSubset.OfSize(long.MaxValue) });
        Assert.Equal(all.IndexedPacks, sized.PacksRead);
    }
}
