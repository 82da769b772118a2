using System.Security.Cryptography;
using Coffer.Backends.Local;
using Coffer.Core.Checker;
using Coffer.Core.Index;
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
/// <see cref="IndexRebuilder"/> on repositories crafted with <see cref="RepositoryBuilder"/> on disk and then damaged
/// file by file: afterwards <see cref="RepositoryChecker"/> finds no error and every stored blob is indexed.
/// </summary>
public sealed class RepairTests : IAsyncLifetime
{
    private readonly TempDirectory _temp = new("coffer-repair-");
    private RepositoryBuilder _builder = null!;
    private BlobId _bigFirst;
    private BlobId _inner;
    private BlobId _orphan;
    private int _packs;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string RepoPath => _temp.Combine("repo");

    public async ValueTask InitializeAsync()
    {
        // Packs of their own: big.bin's blob 1, its blob 2, the orphan blob, inner tree, root tree (and the small files' data).
        _builder = await RepositoryBuilder.CreateAsync(LocalBackend.Open(RepoPath));
        var big = RandomNumberGenerator.GetBytes(150_000);
        _bigFirst = await _builder.BlobAsync(big[..100_000]);
        await _builder.FlushAsync();
        var bigSecond = await _builder.BlobAsync(big[100_000..]);
        await _builder.FlushAsync();
        _orphan = await _builder.BlobAsync("nobody uses this"u8.ToArray());
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
            Content = [_bigFirst, bigSecond],
            Links = 1,
        };
        _inner = await _builder.TreeAsync(await _builder.FileAsync("small.txt", "hello"u8.ToArray()), RepositoryBuilder.Symlink("link", "small.txt"));
        await _builder.FlushAsync();
        var root = await _builder.TreeAsync(file, RepositoryBuilder.Dir("sub", _inner), await _builder.FileAsync("keep.txt", "kept"u8.ToArray()));
        await _builder.SnapshotAsync(root);
        _packs = _builder.Repository.Index.PackCount;
    }

    public async ValueTask DisposeAsync()
    {
        await _builder.DisposeAsync();
        _temp.Dispose();
    }

    private Task<Repo> OpenAsync() => Repo.OpenAsync(LocalBackend.Open(RepoPath), "pw"u8.ToArray(), Ct);

    private string PackPath(PackId pack) => Path.Combine(RepoPath, "data", pack.ToString()[..2], pack.ToString());

    private string[] IndexFiles() => Directory.GetFiles(Path.Combine(RepoPath, "index"));

    private async Task<(IndexRebuildResult Result, RecordingIndexRebuildReport Report)> RebuildAsync(IndexRebuildOptions? options = null)
    {
        var report = new RecordingIndexRebuildReport();
        var result = await IndexRebuilder.RebuildAsync(await OpenAsync(), options ?? new IndexRebuildOptions(), report, Ct);
        return (result, report);
    }

    private async Task<(CheckResult Result, RecordingCheckReport Report)> CheckAsync()
    {
        var report = new RecordingCheckReport();
        var result = await RepositoryChecker.CheckAsync(await OpenAsync(), new CheckOptions { ReadData = ReadDataSubset.All }, report, Ct);
        Assert.True(result.IsHealthy, report.ErrorText);
        return (result, report);
    }

    private static HashSet<IndexedBlob> Entries(Repo repo) => repo.Index.All().ToHashSet();

    [Fact]
    public async Task MissingIndexFilesAreRebuiltFromThePacks()
    {
        var before = Entries(_builder.Repository);
        foreach (var f in IndexFiles())
        {
            File.Delete(f);
        }
        var (result, report) = await RebuildAsync();
        Assert.Equal(
            [IndexRebuildPhase.LoadingIndexes, IndexRebuildPhase.GettingPacks, IndexRebuildPhase.ReadingPacks, IndexRebuildPhase.Rebuilding, IndexRebuildPhase.DeletingObsolete, IndexRebuildPhase.Done],
            report.Phases);
        Assert.Equal(_packs, result.PacksAdded);
        Assert.Equal(_packs, report.PacksRead);
        Assert.Empty(result.UnreadablePacks);
        Assert.Equal(_packs, report.Notices.Count);
        Assert.All(report.Notices, n => Assert.StartsWith("adding pack file to index ", n, StringComparison.Ordinal));

        var (check, checkReport) = await CheckAsync();
        Assert.Equal(0, check.UnreferencedPacks);
        Assert.Empty(checkReport.Hints);
        var repo = await OpenAsync();
        await repo.LoadIndexAsync(Ct);
        Assert.Equal(before, Entries(repo));
        Assert.Equal(result.WrittenIndexFiles.Select(i => i.ToString()).Order(StringComparer.Ordinal), IndexFiles().Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task OneMissingIndexFileOfSeveralIsRebuiltAndTheOthersKept()
    {
        var before = Entries(_builder.Repository);
        var oldFiles = IndexFiles();
        Assert.True(oldFiles.Length >= 2);
        File.Delete(oldFiles[0]);
        var (result, _) = await RebuildAsync();
        Assert.Equal(oldFiles.Length - 1, result.OldIndexFiles);
        Assert.True(result.PacksAdded >= 1);
        Assert.Equal(_packs, result.PacksAdded + result.PacksKept);
        Assert.DoesNotContain(IndexFiles(), oldFiles.Contains);
        await CheckAsync();
        var repo = await OpenAsync();
        await repo.LoadIndexAsync(Ct);
        Assert.Equal(before, Entries(repo));

        // A second run finds nothing to do but keeps the same entries.
        var (again, againReport) = await RebuildAsync();
        Assert.Equal(_packs, again.PacksKept);
        Assert.Empty(againReport.Notices);
        Assert.DoesNotContain(IndexRebuildPhase.ReadingPacks, againReport.Phases);
    }

    [Fact]
    public async Task EntriesOfADeletedPackAreDropped()
    {
        var pack = _builder.PackOf(_orphan);
        File.Delete(PackPath(pack));
        var (result, report) = await RebuildAsync();
        Assert.Equal([pack], result.MissingPacks);
        Assert.Contains($"removing not found pack file {pack}", report.Notices);
        Assert.DoesNotContain(IndexRebuildPhase.ReadingPacks, report.Phases);
        await CheckAsync();
        var repo = await OpenAsync();
        await repo.LoadIndexAsync(Ct);
        Assert.False(repo.Index.Contains(new BlobHandle(_orphan, BlobType.Data)));
        Assert.Equal(_packs - 1, repo.Index.PackCount);
    }

    [Fact]
    public async Task PackWhoseSizeDisagreesWithTheIndexIsReread()
    {
        // Rewrite the index without the entry of one blob: the pack is then larger than its entries imply.
        var repo = await OpenAsync();
        var pack = _builder.PackOf(_bigFirst);
        foreach (var id in await repo.ListIdsAsync(FileType.Index, Ct))
        {
            var file = await repo.LoadIndexFileAsync(id, Ct);
            if (file.Packs.Find(p => p.Id == pack) is not { } entry)
            {
                continue;
            }
            entry.Blobs.RemoveAll(b => b.Handle.Id == _bigFirst);
            await repo.SaveUnpackedAsync(FileType.Index, file.Encode(), Ct);
            await repo.Backend.DeleteAsync(new FileHandle(FileType.Index, id.ToString()), Ct);
        }
        var (result, report) = await RebuildAsync();
        Assert.Equal(1, result.PacksReindexed);
        Assert.Contains(report.Notices, n => n.StartsWith($"reindexing pack file {pack} with unexpected size ", StringComparison.Ordinal));
        await CheckAsync();
        var rebuilt = await OpenAsync();
        await rebuilt.LoadIndexAsync(Ct);
        Assert.True(rebuilt.Index.TryLookup(new BlobHandle(_bigFirst, BlobType.Data), out var found));
        Assert.Equal(pack, found.Pack);
    }

    [Fact]
    public async Task ABlobStoredInTwoPacksKeepsBothCopies()
    {
        // A second session that does not know the index stores the orphan blob again, in a pack of its own.
        var other = await OpenAsync();
        await using (var upload = other.BeginUpload(new UploadOptions(), Ct))
        {
            await upload.SaveAsync(BlobType.Data, _orphan, "nobody uses this"u8.ToArray(), Ct);
            await upload.CommitAsync(Ct);
        }
        foreach (var f in IndexFiles())
        {
            File.Delete(f);
        }
        var (result, _) = await RebuildAsync();
        Assert.Equal(_packs + 1, result.PacksAdded);
        var (_, checkReport) = await CheckAsync();
        Assert.Contains(checkReport.Hints, h => h.Message.Contains("is stored in 2 packs", StringComparison.Ordinal));
        var repo = await OpenAsync();
        await repo.LoadIndexAsync(Ct);
        Assert.Equal(2, repo.Index.LookupAll(new BlobHandle(_orphan, BlobType.Data)).Select(c => c.Pack).Distinct().Count());
        Assert.Equal(_packs + 1, (await RebuildAsync()).Result.PacksKept);
    }

    [Fact]
    public async Task PackWithDamagedHeaderIsReportedAndTheRestRebuilt()
    {
        var pack = _builder.PackOf(_orphan);
        var path = PackPath(pack);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var bytes = File.ReadAllBytes(path);
        bytes[^10] ^= 0x40; // inside the sealed header: its MAC fails
        File.WriteAllBytes(path, bytes);
        foreach (var f in IndexFiles())
        {
            File.Delete(f);
        }
        var (result, report) = await RebuildAsync();
        Assert.Equal([pack], result.UnreadablePacks);
        Assert.Contains(report.Notices, n => n.StartsWith($"skipped unreadable pack file {pack}: ", StringComparison.Ordinal));
        Assert.True(File.Exists(path));
        var (check, checkReport) = await CheckAsync();
        Assert.Equal(1, check.UnreferencedPacks);
        Assert.Single(checkReport.Hints);
        var repo = await OpenAsync();
        await repo.LoadIndexAsync(Ct);
        Assert.Equal(_packs - 1, repo.Index.PackCount);
    }

    [Fact]
    public async Task UnreadableIndexFileIsReportedAndReplaced()
    {
        var before = Entries(_builder.Repository);
        var bogus = Id.Hash("not an index"u8);
        var bogusPath = Path.Combine(RepoPath, "index", bogus.ToString());
        File.WriteAllBytes(bogusPath, RandomNumberGenerator.GetBytes(100));
        var (result, report) = await RebuildAsync();
        Assert.Equal([bogus], result.InvalidIndexFiles);
        Assert.Contains(report.Notices, n => n.StartsWith($"removing invalid index {bogus}: ", StringComparison.Ordinal));
        Assert.False(File.Exists(bogusPath));
        await CheckAsync();
        var repo = await OpenAsync();
        await repo.LoadIndexAsync(Ct);
        Assert.Equal(before, Entries(repo));
    }

    [Fact]
    public async Task ReadAllPacksIgnoresTheOldIndex()
    {
        var before = Entries(_builder.Repository);
        var (result, report) = await RebuildAsync(new IndexRebuildOptions { ReadAllPacks = true });
        Assert.DoesNotContain(IndexRebuildPhase.LoadingIndexes, report.Phases);
        Assert.Equal(_packs, result.PacksAdded);
        Assert.Empty(report.Notices);
        await CheckAsync();
        var repo = await OpenAsync();
        await repo.LoadIndexAsync(Ct);
        Assert.Equal(before, Entries(repo));
    }
}
