using System.Collections.Concurrent;
using Coffer.Core.Archiver;
using Coffer.Core.Crypto;
using Coffer.Core.Model;
using Coffer.Core.Primitives;
using Coffer.Core.Repository;
using Coffer.Testing;
using Repo = Coffer.Core.Repository.Repository;

namespace Coffer.Core.Tests.Archiver;

public sealed class ArchiverTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private async Task<Repo> NewRepositoryAsync()
    {
        var backend = new InMemoryBackend();
        return await Repo.InitAsync(backend, "pw"u8.ToArray(), RepositoryConfig.New(2), new KeyIdentity("u", "h"), CancellationToken.None,
            new ScryptParameters(1024, 8, 1));
    }

    private sealed class RecordingProgress : IBackupProgress
    {
        public ConcurrentBag<string> Started { get; } = [];
        public ConcurrentBag<(string, string)> Errors { get; } = [];
        public void Scanned(long files, long dirs, long bytes, bool complete) { }
        public void FileStarted(string path) => Started.Add(path);
        public void FileDone(string path, long bytes, FileChange change) { }
        public void BytesRead(long bytes) { }
        public void DirectoryDone(string path, FileChange change) { }
        public void Error(string path, string message) => Errors.Add((path, message));
    }

    private static async Task<Dictionary<string, byte[]>> ReadBackAsync(Repo repo, SnapshotId id)
    {
        var snapshot = await repo.LoadSnapshotAsync(id, CancellationToken.None);
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        await foreach (var w in TreeWalker.WalkAsync(repo, snapshot.Tree, _ => true, CancellationToken.None))
        {
            if (w.Node.Type != NodeType.File)
            {
                continue;
            }
            var data = new MemoryStream();
            foreach (var blob in w.Node.Content!)
            {
                data.Write(await repo.LoadBlobAsync(new BlobHandle(blob, BlobType.Data), CancellationToken.None));
            }
            Assert.Equal(w.Node.Size, (ulong)data.Length);
            files[w.PathText] = data.ToArray();
        }
        return files;
    }

    [Fact]
    public async Task BacksUpATreeAndReadsItBackExactly()
    {
        var src = _temp.Combine("src");
        SourceTree.CreateMixed(src);
        var repo = await NewRepositoryAsync();
        var summary = await new SnapshotArchiver(repo, new BackupOptions { Targets = [src], Hostname = "h" }).RunAsync(CancellationToken.None);
        Assert.NotNull(summary.SnapshotId);
        Assert.Equal(0, summary.Errors);
        var files = await ReadBackAsync(repo, summary.SnapshotId!.Value);
        var expected = Directory.GetFiles(src, "*", SearchOption.AllDirectories).Where(f => !new FileInfo(f).Attributes.HasFlag(FileAttributes.ReparsePoint)).ToList();
        Assert.Equal(expected.Count, files.Count);
        foreach (var f in expected)
        {
            Assert.Equal(await File.ReadAllBytesAsync(f), files[f]);
        }
        Assert.Equal(expected.Count, summary.FilesNew);
        var snapshot = await repo.LoadSnapshotAsync(summary.SnapshotId!.Value, CancellationToken.None);
        Assert.Equal([src], snapshot.Paths);
        Assert.Equal("h", snapshot.Hostname);
        // The absolute target is stored with all its components.
        var rootTree = await repo.LoadTreeAsync(snapshot.Tree, CancellationToken.None);
        Assert.Equal(src.Split('/', StringSplitOptions.RemoveEmptyEntries)[0], Assert.Single(rootTree.Nodes).NameText);
    }

    [Fact]
    public async Task UnchangedFilesAreNotReadAgainAndAddNothing()
    {
        var src = _temp.Combine("src");
        SourceTree.CreateMixed(src);
        var repo = await NewRepositoryAsync();
        var first = await new SnapshotArchiver(repo, new BackupOptions { Targets = [src], Hostname = "h" }).RunAsync(CancellationToken.None);
        var progress = new RecordingProgress();
        var second = await new SnapshotArchiver(repo, new BackupOptions { Targets = [src], Hostname = "h" }, progress).RunAsync(CancellationToken.None);
        Assert.Equal(first.SnapshotId, second.Parent);
        Assert.Empty(progress.Started);
        Assert.Equal(0, second.DataBlobs);
        // Only the intermediate directories above the target (/tmp changes as other tests run) may get new trees.
        Assert.InRange(second.TreeBlobs, 0, 2);
        Assert.Equal(0, second.FilesNew + second.FilesChanged);
        Assert.Equal(first.FilesNew, second.FilesUnmodified);
        Assert.Equal(await SubtreeAsync(repo, first.SnapshotId!.Value, src), await SubtreeAsync(repo, second.SnapshotId!.Value, src));

        var skipped = await new SnapshotArchiver(repo, new BackupOptions { Targets = [src], Hostname = "h", SkipIfUnchanged = true }).RunAsync(CancellationToken.None);
        Assert.True(skipped.SkippedUnchanged);
        Assert.Null(skipped.SnapshotId);

        // --force reads everything again but stores nothing new.
        var forced = new RecordingProgress();
        var third = await new SnapshotArchiver(repo, new BackupOptions { Targets = [src], Hostname = "h", Force = true }, forced).RunAsync(CancellationToken.None);
        Assert.NotEmpty(forced.Started);
        Assert.Equal(0, third.DataBlobs);
    }

    private static async Task<BlobId?> SubtreeAsync(Repo repo, SnapshotId id, string path)
    {
        var snapshot = await repo.LoadSnapshotAsync(id, CancellationToken.None);
        await foreach (var w in TreeWalker.WalkAsync(repo, snapshot.Tree, _ => true, CancellationToken.None))
        {
            if (w.PathText == path)
            {
                return w.Node.Subtree;
            }
        }
        return null;
    }

    [Fact]
    public async Task ChangedFileIsReadAndOnlyNewChunksAreStored()
    {
        var src = _temp.Combine("src");
        SourceTree.CreateMixed(src);
        var repo = await NewRepositoryAsync();
        await new SnapshotArchiver(repo, new BackupOptions { Targets = [src], Hostname = "h" }).RunAsync(CancellationToken.None);
        var big = Path.Combine(src, "big.bin");
        var bytes = await File.ReadAllBytesAsync(big);
        bytes[^10] ^= 0xff; // change the tail: the first chunks stay the same
        await File.WriteAllBytesAsync(big, bytes);
        var progress = new RecordingProgress();
        var second = await new SnapshotArchiver(repo, new BackupOptions { Targets = [src], Hostname = "h" }, progress).RunAsync(CancellationToken.None);
        Assert.Equal([big], progress.Started.ToArray());
        Assert.Equal(1, second.FilesChanged);
        Assert.Equal(1, second.DataBlobs);
        Assert.True(second.DirsChanged >= 1);
        var files = await ReadBackAsync(repo, second.SnapshotId!.Value);
        Assert.Equal(bytes, files[big]);
    }

    [Fact]
    public async Task IdenticalContentIsStoredOnce()
    {
        var src = _temp.Combine("dups");
        Directory.CreateDirectory(src);
        var data = SourceTree.Stream("dup", 2_000_000);
        for (var i = 0; i < 5; i++)
        {
            await File.WriteAllBytesAsync(Path.Combine(src, $"copy{i}.bin"), data);
        }
        var repo = await NewRepositoryAsync();
        var summary = await new SnapshotArchiver(repo, new BackupOptions { Targets = [src], Hostname = "h" }).RunAsync(CancellationToken.None);
        Assert.Equal(5, summary.FilesNew);
        Assert.InRange(summary.DataBlobs, 1, 4);
        Assert.InRange(summary.DataAdded, 2_000_000, 2_010_000); // data plus the small tree
    }

    [Fact]
    public async Task RelativeTargetKeepsItsRelativeComponentsAndDotPutsContentsInRoot()
    {
        var src = _temp.Combine("work", "src", "nested");
        Directory.CreateDirectory(src);
        await File.WriteAllTextAsync(Path.Combine(src, "a.txt"), "a");
        var repo = await NewRepositoryAsync();
        var old = Environment.CurrentDirectory;
        try
        {
            Environment.CurrentDirectory = _temp.Combine("work");
            var summary = await new SnapshotArchiver(repo, new BackupOptions { Targets = ["src/nested"], Hostname = "h" }).RunAsync(CancellationToken.None);
            var snapshot = await repo.LoadSnapshotAsync(summary.SnapshotId!.Value, CancellationToken.None);
            Assert.Equal([_temp.Combine("work", "src", "nested")], snapshot.Paths);
            var paths = new List<string>();
            await foreach (var w in TreeWalker.WalkAsync(repo, snapshot.Tree, _ => true, CancellationToken.None))
            {
                paths.Add(w.PathText);
            }
            Assert.Equal(["/src", "/src/nested", "/src/nested/a.txt"], paths);

            Environment.CurrentDirectory = src;
            var dot = await new SnapshotArchiver(repo, new BackupOptions { Targets = ["."], Hostname = "h" }).RunAsync(CancellationToken.None);
            var dotSnap = await repo.LoadSnapshotAsync(dot.SnapshotId!.Value, CancellationToken.None);
            var root = await repo.LoadTreeAsync(dotSnap.Tree, CancellationToken.None);
            Assert.Equal("a.txt", Assert.Single(root.Nodes).NameText);
        }
        finally
        {
            Environment.CurrentDirectory = old;
        }
    }

    [Fact]
    public async Task ExcludedEntriesAreLeftOut()
    {
        var src = _temp.Combine("src");
        SourceTree.CreateMixed(src);
        var repo = await NewRepositoryAsync();
        var filter = new BackupFilter((path, isDir, size) => path.EndsWith(".bin", StringComparison.Ordinal) || (isDir && path.EndsWith("/nested", StringComparison.Ordinal)));
        var summary = await new SnapshotArchiver(repo, new BackupOptions { Targets = [src], Hostname = "h", Filter = filter }).RunAsync(CancellationToken.None);
        var files = await ReadBackAsync(repo, summary.SnapshotId!.Value);
        Assert.DoesNotContain(files.Keys, k => k.EndsWith(".bin", StringComparison.Ordinal) || k.Contains("/nested", StringComparison.Ordinal));
        Assert.Contains(files.Keys, k => k.EndsWith("hello.txt", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StdinIsStoredAsOneFile()
    {
        var repo = await NewRepositoryAsync();
        var data = SourceTree.Stream("stdin", 1_500_000);
        var summary = await new SnapshotArchiver(repo, new BackupOptions { Hostname = "h", Stdin = new StdinSource(new MemoryStream(data), "dump.sql") }).RunAsync(CancellationToken.None);
        var files = await ReadBackAsync(repo, summary.SnapshotId!.Value);
        Assert.Equal(data, files["/dump.sql"]);
        var snapshot = await repo.LoadSnapshotAsync(summary.SnapshotId!.Value, CancellationToken.None);
        Assert.Equal(["/dump.sql"], snapshot.Paths);
    }

    [Fact]
    public async Task ExtendedAttributesFollowChangesAndSurviveUnchangedBackups()
    {
        var src = _temp.Combine("xattrs");
        Directory.CreateDirectory(src);
        var file = Path.Combine(src, "a.txt");
        await File.WriteAllTextAsync(file, "a");
        try
        {
            Coffer.Core.Interop.PosixFileSystem.SetXattr(file, "user.note", "one"u8);
        }
        catch (IOException)
        {
            Assert.Skip("the temp file system has no user extended attributes");
        }
        var repo = await NewRepositoryAsync();
        async Task<string> NoteAsync(SnapshotId id)
        {
            var snapshot = await repo.LoadSnapshotAsync(id, CancellationToken.None);
            await foreach (var w in TreeWalker.WalkAsync(repo, snapshot.Tree, _ => true, CancellationToken.None))
            {
                if (w.PathText == file)
                {
                    return System.Text.Encoding.UTF8.GetString(Assert.Single(w.Node.ExtendedAttributes).Value!);
                }
            }
            return "";
        }
        var first = await new SnapshotArchiver(repo, new BackupOptions { Targets = [src], Hostname = "h" }).RunAsync(CancellationToken.None);
        Assert.Equal("one", await NoteAsync(first.SnapshotId!.Value));
        var unchanged = await new SnapshotArchiver(repo, new BackupOptions { Targets = [src], Hostname = "h" }).RunAsync(CancellationToken.None);
        Assert.Equal("one", await NoteAsync(unchanged.SnapshotId!.Value));
        Coffer.Core.Interop.PosixFileSystem.SetXattr(file, "user.note", "two"u8);
        var changed = await new SnapshotArchiver(repo, new BackupOptions { Targets = [src], Hostname = "h" }).RunAsync(CancellationToken.None);
        Assert.Equal("two", await NoteAsync(changed.SnapshotId!.Value));
    }

    [Fact]
    public async Task DryRunWritesNothing()
    {
        var src = _temp.Combine("src");
        SourceTree.CreateMixed(src);
        var repo = await NewRepositoryAsync();
        var summary = await new SnapshotArchiver(repo, new BackupOptions { Targets = [src], Hostname = "h", DryRun = true }).RunAsync(CancellationToken.None);
        Assert.Null(summary.SnapshotId);
        Assert.True(summary.DataAdded > 0);
        Assert.Empty(await repo.ListIdsAsync(Coffer.Storage.FileType.Pack, CancellationToken.None));
        Assert.Empty(await repo.ListIdsAsync(Coffer.Storage.FileType.Snapshot, CancellationToken.None));
    }

    [Fact]
    public async Task UnreadableDirectoryIsReportedAndTheRestSaved()
    {
        var src = _temp.Combine("src");
        SourceTree.CreateMixed(src);
        var repo = await NewRepositoryAsync();
        var progress = new RecordingProgress();
        // A target that does not exist is an error for that target only.
        var summary = await new SnapshotArchiver(repo, new BackupOptions { Targets = [src, _temp.Combine("missing")], Hostname = "h" }, progress).RunAsync(CancellationToken.None);
        Assert.Equal(1, summary.Errors);
        Assert.Contains(progress.Errors, e => e.Item1.EndsWith("missing", StringComparison.Ordinal));
        Assert.NotNull(summary.SnapshotId);
        Assert.NotEmpty(await ReadBackAsync(repo, summary.SnapshotId!.Value));
    }
}
