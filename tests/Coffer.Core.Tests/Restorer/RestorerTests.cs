using System.Diagnostics;
using Coffer.Core.Archiver;
using Coffer.Core.Chunking;
using Coffer.Core.Crypto;
using Coffer.Core.Interop;
using Coffer.Core.Model;
using Coffer.Core.Primitives;
using Coffer.Core.Repository;
using Coffer.Core.Restorer;
using Coffer.Testing;
using Repo = Coffer.Core.Repository.Repository;

namespace Coffer.Core.Tests.Restorer;

/// <summary>Backs a tree up into an in-memory repository and restores it in the ways restore offers.</summary>
public sealed class RestorerTests : IDisposable
{
    private readonly TempDirectory _temp = new("coffer-restore-");

    public void Dispose() => _temp.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // A fixed polynomial: with a random one big.bin is now and then a single chunk, and the tests that
    // count rewritten chunks need it cut into several.
    private static readonly Polynomial FixedPolynomial = Polynomial.Parse("3da3358b4dc173");

    private async Task<(Repo Repo, Tree Root, string Source)> BackupAsync(Action<string>? create = null)
    {
        var src = _temp.Combine("src");
        (create ?? (s => EveryKindTree.Create(s)))(src);
        var repo = await Repo.InitAsync(new InMemoryBackend(), "pw"u8.ToArray(), RepositoryConfig.New(2, FixedPolynomial), new KeyIdentity("u", "h"), Ct, new ScryptParameters(1024, 8, 1));
        var summary = await new SnapshotArchiver(repo, new BackupOptions { Targets = [src], Hostname = "h" }).RunAsync(Ct);
        var snapshot = await repo.LoadSnapshotAsync(summary.SnapshotId!.Value, Ct);
        var root = await SnapshotRestorer.LoadRootAsync(repo, snapshot.Tree, src, Ct);
        return (repo, root, src);
    }

    private static Task<RestoreSummary> RestoreAsync(Repo repo, Tree root, RestoreOptions options, IRestoreProgress? progress = null) =>
        SnapshotRestorer.RestoreAsync(repo, root, options, progress, Ct);

    private static void AssertSameTree(string expected, string actual)
    {
        var diff = TreeManifest.Diff(TreeManifest.Of(expected, withDirTimes: true), TreeManifest.Of(actual, withDirTimes: true));
        Assert.True(diff.Count == 0, string.Join("\n", diff));
    }

    [Fact]
    public async Task RestoresEveryKindOfNodeWithItsMetadata()
    {
        var (repo, root, src) = await BackupAsync();
        var target = _temp.Combine("target");
        var progress = new RecordingRestoreProgress();
        var summary = await RestoreAsync(repo, root, new RestoreOptions { Target = target, Verify = true }, progress);
        Assert.True(summary.Errors == 0, progress.ErrorText);
        AssertSameTree(src, target);
        Assert.Equal(summary.TotalItems, summary.ItemsRestored);
        Assert.True(summary.FilesVerified >= 8);
        var a = PosixFileSystem.LStat(Path.Combine(target, "hardlink-a.txt"));
        var b = PosixFileSystem.LStat(Path.Combine(target, "hardlink-b.txt"));
        Assert.Equal(a.Inode, b.Inode);
        Assert.Equal(2ul, a.Links);
        Assert.Equal(0x9edu, PosixFileSystem.LStat(Path.Combine(target, "setuid-prog")).Permissions);
        Assert.Equal(new GoTime(1_600_000_000, 123_456_789, 0).UnixSeconds, PosixFileSystem.LStat(Path.Combine(target, "dangling-link")).ModTime.UnixSeconds);
    }

    [Fact]
    public async Task MoreDirectoriesThanHandlesAreCachedRestoreWithTheirMetadata()
    {
        // 1,600 directories in 40 groups, with files and unusual modes among them: more than the directory-handle
        // cache holds, so handles are dropped and reopened while files are written and directory times set.
        var (repo, root, src) = await BackupAsync(s =>
        {
            for (var g = 0; g < 40; g++)
            {
                for (var d = 0; d < 40; d++)
                {
                    var dir = Path.Combine(s, $"g{g:D2}", $"d{d:D2}");
                    Directory.CreateDirectory(dir);
                    File.WriteAllText(Path.Combine(dir, "f.txt"), $"{g}/{d}\n");
                    // Modes a directory is not created with (no owner write, group write) take the open-and-chmod way.
                    var mode = (d % 5) switch
                    {
                        1 => UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute,
                        2 => UnixFileMode.UserRead | UnixFileMode.UserExecute,
                        3 => UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute,
                        4 => UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute,
                        _ => (UnixFileMode?)null,
                    };
                    if (mode is { } m)
                    {
                        File.SetUnixFileMode(dir, m);
                    }
                    Directory.SetLastWriteTimeUtc(dir, new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddMinutes((g * 40) + d));
                }
                Directory.SetLastWriteTimeUtc(Path.Combine(s, $"g{g:D2}"), new DateTime(2021, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddMinutes(g));
            }
        });
        var target = _temp.Combine("target");
        var progress = new RecordingRestoreProgress();
        var summary = await RestoreAsync(repo, root, new RestoreOptions { Target = target }, progress);
        Assert.True(summary.Errors == 0, progress.ErrorText);
        AssertSameTree(src, target);
        Assert.Equal(1_600 + 40 + 1_600, summary.TotalItems);
    }

    [Fact]
    public async Task ATargetWhoseNewDirectoriesInheritSetGidStillGetsTheSnapshotsModes()
    {
        // New entries in a set-group-id directory take its group and, for directories, the bit itself: what a new
        // file or directory looks like cannot be assumed there, and every mode must still come out as in the snapshot.
        var (repo, root, src) = await BackupAsync();
        var target = _temp.Combine("target");
        Directory.CreateDirectory(target);
        File.SetUnixFileMode(target, File.GetUnixFileMode(target) | UnixFileMode.SetGroup);
        var progress = new RecordingRestoreProgress();
        var summary = await RestoreAsync(repo, root, new RestoreOptions { Target = target }, progress);
        Assert.True(summary.Errors == 0, progress.ErrorText);
        AssertSameTree(src, target);
    }

    [Fact]
    public async Task ATargetWithADefaultAclStillGetsTheSnapshotsModes()
    {
        // A default ACL, not the umask, decides the modes of what is created below it: others get nothing here, so
        // a 0644 file would come out 0640 unless its mode is read back and set.
        var (repo, root, src) = await BackupAsync();
        var target = _temp.Combine("target");
        Directory.CreateDirectory(target);
        using (var setfacl = Process.Start(new ProcessStartInfo("setfacl", ["-d", "-m", "u::rwx,g::rwx,o::---", target]) { RedirectStandardError = true })!)
        {
            await setfacl.WaitForExitAsync(Ct);
            Assert.True(setfacl.ExitCode == 0, "setfacl (package acl) is needed: " + await setfacl.StandardError.ReadToEndAsync(Ct));
        }
        var progress = new RecordingRestoreProgress();
        var summary = await RestoreAsync(repo, root, new RestoreOptions { Target = target }, progress);
        Assert.True(summary.Errors == 0, progress.ErrorText);
        // Directories made below keep inheriting the default ACL (as with restic); everything else is as backed up.
        var restored = TreeManifest.Of(target, withDirTimes: true);
        foreach (var key in restored.Keys.ToList())
        {
            restored[key] = System.Text.RegularExpressions.Regex.Replace(restored[key], " xattr:system.posix_acl_default=[0-9A-F]+", "");
        }
        var diff = TreeManifest.Diff(TreeManifest.Of(src, withDirTimes: true), restored);
        Assert.True(diff.Count == 0, string.Join("\n", diff));
    }

    [Fact]
    public async Task RunningTheSameRestoreAgainChangesNothing()
    {
        var (repo, root, src) = await BackupAsync();
        var target = _temp.Combine("target");
        await RestoreAsync(repo, root, new RestoreOptions { Target = target });
        var progress = new RecordingRestoreProgress();
        var again = await RestoreAsync(repo, root, new RestoreOptions { Target = target }, progress);
        Assert.True(again.Errors == 0, progress.ErrorText);
        Assert.Equal(0, again.BytesRestored);
        Assert.Equal(again.TotalBytes, again.BytesSkipped);
        Assert.Equal(RestoreAction.Unchanged, progress.Actions["/big.bin"]);
        AssertSameTree(src, target);
    }

    [Fact]
    public async Task OverwriteAlwaysRewritesOnlyTheBlobsThatDiffer()
    {
        var (repo, root, src) = await BackupAsync();
        var target = _temp.Combine("target");
        await RestoreAsync(repo, root, new RestoreOptions { Target = target });
        var big = Path.Combine(target, "big.bin");
        await using (var f = new FileStream(big, FileMode.Open, FileAccess.Write))
        {
            f.Position = 5;
            f.WriteByte(0xAA);
        }
        await File.AppendAllTextAsync(Path.Combine(target, "hello.txt"), "more", Ct);
        var progress = new RecordingRestoreProgress();
        var summary = await RestoreAsync(repo, root, new RestoreOptions { Target = target, Overwrite = OverwriteMode.Always }, progress);
        Assert.True(summary.Errors == 0, progress.ErrorText);
        Assert.Equal(RestoreAction.Updated, progress.Actions["/big.bin"]);
        Assert.Equal(RestoreAction.Updated, progress.Actions["/hello.txt"]);
        Assert.Equal(RestoreAction.Unchanged, progress.Actions["/random.bin"]);
        Assert.True(root.Find("big.bin"u8)!.Content!.Count >= 2, "big.bin must span several chunks for this test");
        // Only the first chunk of big.bin (and hello.txt) was written again.
        Assert.InRange(summary.BytesRestored, 1, new FileInfo(big).Length - 1);
        AssertSameTree(src, target);
    }

    [Fact]
    public async Task OverwriteIfChangedTrustsSizeAndMtime()
    {
        var (repo, root, _) = await BackupAsync();
        var target = _temp.Combine("target");
        await RestoreAsync(repo, root, new RestoreOptions { Target = target });
        var hello = Path.Combine(target, "hello.txt");
        var before = PosixFileSystem.LStat(hello);
        await File.WriteAllTextAsync(hello, "HELLO, WORLD\n", Ct);
        PosixFileSystem.SetTimes(hello, before.AccessTime, before.ModTime, noFollow: true);
        var progress = new RecordingRestoreProgress();
        await RestoreAsync(repo, root, new RestoreOptions { Target = target, Overwrite = OverwriteMode.IfChanged }, progress);
        Assert.Equal(RestoreAction.Unchanged, progress.Actions["/hello.txt"]);
        Assert.Equal("HELLO, WORLD\n", await File.ReadAllTextAsync(hello, Ct));
        // With "always" the same file is compared and repaired.
        await RestoreAsync(repo, root, new RestoreOptions { Target = target, Overwrite = OverwriteMode.Always });
        Assert.Equal("hello, world\n", await File.ReadAllTextAsync(hello, Ct));
    }

    [Fact]
    public async Task OverwriteIfNewerAndNeverLeaveNewerOrExistingFiles()
    {
        var (repo, root, _) = await BackupAsync();
        var target = _temp.Combine("target");
        await RestoreAsync(repo, root, new RestoreOptions { Target = target });
        var hello = Path.Combine(target, "hello.txt");
        var random = Path.Combine(target, "random.bin");
        await File.WriteAllTextAsync(hello, "changed and newer\n", Ct);
        await File.WriteAllTextAsync(random, "changed but older\n", Ct);
        PosixFileSystem.SetTimes(random, new GoTime(1000, 0, 0), new GoTime(1000, 0, 0), noFollow: true);
        var never = new RecordingRestoreProgress();
        await RestoreAsync(repo, root, new RestoreOptions { Target = target, Overwrite = OverwriteMode.Never }, never);
        Assert.Equal("changed and newer\n", await File.ReadAllTextAsync(hello, Ct));
        Assert.Equal("changed but older\n", await File.ReadAllTextAsync(random, Ct));
        Assert.Equal(RestoreAction.Unchanged, never.Actions["/random.bin"]);
        var newer = new RecordingRestoreProgress();
        await RestoreAsync(repo, root, new RestoreOptions { Target = target, Overwrite = OverwriteMode.IfNewer }, newer);
        Assert.Equal("changed and newer\n", await File.ReadAllTextAsync(hello, Ct));
        Assert.Equal(SourceTree.Stream("random", 100_000), await File.ReadAllBytesAsync(random, Ct));
        Assert.Equal(RestoreAction.Unchanged, newer.Actions["/hello.txt"]);
        Assert.Equal(RestoreAction.Updated, newer.Actions["/random.bin"]);
    }

    [Fact]
    public async Task DeleteRemovesOnlySelectedEntriesThatAreNotInTheSnapshot()
    {
        var (repo, root, src) = await BackupAsync(SourceTree.CreateMixed);
        var target = _temp.Combine("target");
        await RestoreAsync(repo, root, new RestoreOptions { Target = target });
        await File.WriteAllTextAsync(Path.Combine(target, "extra.txt"), "x", Ct);
        Directory.CreateDirectory(Path.Combine(target, "nested", "extra-dir", "inner"));
        await File.WriteAllTextAsync(Path.Combine(target, "nested", "extra-dir", "inner", "f"), "x", Ct);
        await File.WriteAllTextAsync(Path.Combine(target, "keep.log"), "x", Ct);
        File.CreateSymbolicLink(Path.Combine(target, "extra-link"), _temp.Path);
        var selector = RestoreSelector.Create([], [], ["*.log"], []);
        var progress = new RecordingRestoreProgress();
        var summary = await RestoreAsync(repo, root, new RestoreOptions { Target = target, Delete = true, Selector = selector }, progress);
        Assert.True(summary.Errors == 0, progress.ErrorText);
        Assert.Equal(3, summary.ItemsDeleted);
        Assert.False(File.Exists(Path.Combine(target, "extra.txt")));
        Assert.False(Directory.Exists(Path.Combine(target, "nested", "extra-dir")));
        Assert.False(PosixFileSystem.TryLStat(Path.Combine(target, "extra-link"), out _, out _));
        Assert.True(File.Exists(Path.Combine(target, "keep.log")));
        Assert.True(Directory.Exists(_temp.Path));
        File.Delete(Path.Combine(target, "keep.log"));
        AssertSameTree(src, target);
    }

    [Fact]
    public async Task DryRunWritesNothingAndReportsWhatWouldChange()
    {
        var (repo, root, _) = await BackupAsync(SourceTree.CreateMixed);
        var fresh = _temp.Combine("fresh");
        var summary = await RestoreAsync(repo, root, new RestoreOptions { Target = fresh, DryRun = true });
        Assert.False(Directory.Exists(fresh));
        Assert.True(summary.DryRun);
        Assert.Equal(summary.TotalItems, summary.ItemsRestored);
        Assert.Equal(summary.TotalBytes, summary.BytesRestored);

        var target = _temp.Combine("target");
        await RestoreAsync(repo, root, new RestoreOptions { Target = target });
        await File.WriteAllTextAsync(Path.Combine(target, "hello.txt"), "changed!\n", Ct);
        await File.WriteAllTextAsync(Path.Combine(target, "extra.txt"), "x", Ct);
        var before = TreeManifest.Of(target, withDirTimes: true);
        var progress = new RecordingRestoreProgress();
        var dry = await RestoreAsync(repo, root, new RestoreOptions { Target = target, DryRun = true, Delete = true }, progress);
        Assert.Empty(TreeManifest.Diff(before, TreeManifest.Of(target, withDirTimes: true)));
        Assert.Equal(RestoreAction.Updated, progress.Actions["/hello.txt"]);
        Assert.Equal(RestoreAction.Deleted, progress.Actions["/extra.txt"]);
        Assert.Equal(RestoreAction.Unchanged, progress.Actions["/random.bin"]);
        Assert.Equal(1, dry.ItemsDeleted);
    }

    [Fact]
    public async Task IncludeSelectsPathsBelowAndCreatesTheDirectoriesLeadingThere()
    {
        var (repo, root, src) = await BackupAsync(SourceTree.CreateMixed);
        var target = _temp.Combine("only-deep");
        var summary = await RestoreAsync(repo, root, new RestoreOptions { Target = target, Selector = RestoreSelector.Create(["/nested/deeper"], [], [], []) });
        Assert.Equal(0, summary.Errors);
        Assert.Equal(["deeper"], Directory.GetFileSystemEntries(Path.Combine(target, "nested")).Select(Path.GetFileName));
        Assert.Equal(["nested"], Directory.GetFileSystemEntries(target).Select(Path.GetFileName));
        Assert.Equal("deep\n", await File.ReadAllTextAsync(Path.Combine(target, "nested", "deeper", "deep.txt"), Ct));
        // A leading directory is created 0700 without the snapshot's metadata, as restic does.
        Assert.Equal(0x1C0u, PosixFileSystem.LStat(Path.Combine(target, "nested")).Permissions);

        var insensitive = _temp.Combine("insensitive");
        await RestoreAsync(repo, root, new RestoreOptions { Target = insensitive, Selector = RestoreSelector.Create([], ["/HELLO.TXT"], [], []) });
        Assert.Equal(["hello.txt"], Directory.GetFileSystemEntries(insensitive).Select(Path.GetFileName));

        var excluded = _temp.Combine("excluded");
        await RestoreAsync(repo, root, new RestoreOptions { Target = excluded, Selector = RestoreSelector.Create(["/nested"], [], ["*.md"], []) });
        Assert.False(File.Exists(Path.Combine(excluded, "nested", "readme.md")));
        Assert.True(File.Exists(Path.Combine(excluded, "nested", "deeper", "deep.txt")));
        Assert.False(File.Exists(Path.Combine(excluded, "hello.txt")));

        var noBins = _temp.Combine("no-bins");
        await RestoreAsync(repo, root, new RestoreOptions { Target = noBins, Selector = RestoreSelector.Create([], [], ["*.bin"], []) });
        Assert.Empty(Directory.GetFiles(noBins, "*.bin", SearchOption.AllDirectories));
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(src, "nested", "readme.md"), Ct), await File.ReadAllBytesAsync(Path.Combine(noBins, "nested", "readme.md"), Ct));
    }

    [Fact]
    public async Task DirectoriesLeadingNowhereAreNeverCreated()
    {
        // Directories that only lead towards an include are planned, then dropped when nothing below them matches;
        // none of them may appear in the target, not even for a moment while planning goes on.
        var (repo, root, _) = await BackupAsync(s =>
        {
            foreach (var dir in new[] { "a/x/y", "b", "c/d", "nested/deeper" })
            {
                Directory.CreateDirectory(Path.Combine(s, dir));
                File.WriteAllText(Path.Combine(s, dir, "f.txt"), dir);
            }
            File.WriteAllText(Path.Combine(s, "nested", "deeper", "g.txt"), "g");
        });
        var target = _temp.Combine("target");
        // A pattern without a leading slash matches at any depth, so every directory might lead to a match.
        var summary = await RestoreAsync(repo, root, new RestoreOptions { Target = target, Selector = RestoreSelector.Create(["g.txt"], [], [], []) });
        Assert.Equal(0, summary.Errors);
        Assert.Equal(["nested"], Directory.GetFileSystemEntries(target).Select(Path.GetFileName));
        Assert.Equal(["g.txt"], Directory.GetFileSystemEntries(Path.Combine(target, "nested", "deeper")).Select(Path.GetFileName));
    }

    [Fact]
    public async Task ADirectoryLeftOutOfThePlanDoesNotLendItsHandleToTheNext()
    {
        var (repo, root, _) = await BackupAsync(s =>
        {
            Directory.CreateDirectory(Path.Combine(s, "a"));
            Directory.CreateDirectory(Path.Combine(s, "b"));
            File.WriteAllText(Path.Combine(s, "a", "other"), "a\n");
            File.WriteAllText(Path.Combine(s, "b", "x"), "b\n");
        });
        var target = _temp.Combine("existing");
        Directory.CreateDirectory(Path.Combine(target, "a"));
        Directory.CreateDirectory(Path.Combine(target, "b"));
        // /a is walked (it exists in the target) but holds no match, so it leaves the plan and /b takes its index.
        var summary = await RestoreAsync(repo, root, new RestoreOptions { Target = target, Selector = RestoreSelector.Create(["/*/x"], [], [], []) });
        Assert.Equal(0, summary.Errors);
        Assert.Equal("b\n", await File.ReadAllTextAsync(Path.Combine(target, "b", "x"), Ct));
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(target, "a")));
    }

    [Fact]
    public async Task SparseLeavesHolesForZeroBlobs()
    {
        var (repo, root, _) = await BackupAsync();
        var dense = _temp.Combine("dense");
        var sparse = _temp.Combine("sparse");
        await RestoreAsync(repo, root, new RestoreOptions { Target = dense });
        await RestoreAsync(repo, root, new RestoreOptions { Target = sparse, Sparse = true });
        var zeros = new byte[3 * 1024 * 1024];
        Assert.Equal(zeros, await File.ReadAllBytesAsync(Path.Combine(sparse, "zeros.bin"), Ct));
        Assert.Equal(zeros.Length, new FileInfo(Path.Combine(sparse, "zeros.bin")).Length);
        Assert.True(AllocatedBytes(Path.Combine(sparse, "zeros.bin")) < 64 * 1024, "sparse file has allocated blocks");
        Assert.True(AllocatedBytes(Path.Combine(dense, "zeros.bin")) >= zeros.Length, "dense file is not allocated");
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(dense, "big.bin"), Ct), await File.ReadAllBytesAsync(Path.Combine(sparse, "big.bin"), Ct));
    }

    private static long AllocatedBytes(string path)
    {
        var psi = new ProcessStartInfo("stat", ["-c", "%b %B", path]) { RedirectStandardOutput = true };
        using var p = Process.Start(psi)!;
        var parts = p.StandardOutput.ReadToEnd().Trim().Split(' ');
        p.WaitForExit();
        return long.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture) * long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task RestoresOneFileByItsPath()
    {
        var (repo, _, src) = await BackupAsync(SourceTree.CreateMixed);
        var snapshot = (await repo.LoadSnapshotsAsync(Ct)).Single();
        var root = await SnapshotRestorer.LoadRootAsync(repo, snapshot.Tree, src + "/nested/readme.md", Ct);
        var target = _temp.Combine("one");
        await RestoreAsync(repo, root, new RestoreOptions { Target = target });
        Assert.Equal(["readme.md"], Directory.GetFileSystemEntries(target).Select(Path.GetFileName));
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(src, "nested", "readme.md"), Ct), await File.ReadAllBytesAsync(Path.Combine(target, "readme.md"), Ct));
        var missing = await Assert.ThrowsAsync<CofferException>(() => SnapshotRestorer.LoadRootAsync(repo, snapshot.Tree, src + "/nope", Ct));
        Assert.Contains("not found in snapshot", missing.Message, StringComparison.Ordinal);
    }
}
