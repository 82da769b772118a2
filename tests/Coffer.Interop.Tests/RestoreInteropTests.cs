using System.Text;
using Coffer.Backends.Local;
using Coffer.Core.Primitives;
using Coffer.Core.Repository;
using Coffer.Storage;
using Coffer.Testing;

namespace Coffer.Interop.Tests;

/// <summary>Coffer restores what restic 0.14 and Coffer back up, exactly; a restore killed with -9 completes when run again.</summary>
public sealed class RestoreInteropTests
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);

    private static void AssertSameTree(string expected, string actual)
    {
        var want = TreeManifest.Of(expected, withDirTimes: true);
        var diff = TreeManifest.Diff(want, TreeManifest.Of(actual, withDirTimes: true));
        Assert.True(want.Count > 15);
        Assert.True(diff.Count == 0, string.Join("\n", diff));
    }

    [Fact]
    public async Task CofferRestoresResticSnapshotOfEveryNodeKind()
    {
        using var fx = new InteropFixture();
        await fx.Restic.OkAsync("init");
        var src = fx.Temp.Combine("src");
        EveryKindTree.Create(src, nonUtf8LinkTarget: false);
        await fx.Restic.OkAsync("backup", src, "--host", "h");
        var target = fx.Temp.Combine("restored");
        var r = await fx.CofferOkAsync("restore", "latest:" + src, "--target", target, "--verify");
        Assert.Contains("Summary: Restored ", r.Out, StringComparison.Ordinal);
        AssertSameTree(src, target);
    }

    [Fact]
    public async Task CofferRestoresItsOwnSnapshotWholeAndByPath()
    {
        using var fx = new InteropFixture();
        await fx.CofferOkAsync("init");
        var src = fx.Temp.Combine("src");
        EveryKindTree.Create(src);
        await fx.CofferOkAsync("backup", src, "--host", "h");
        var whole = fx.Temp.Combine("whole");
        await fx.CofferOkAsync("restore", "latest", "--target", whole, "--host", "h", "--path", src);
        AssertSameTree(src, whole + src);
        var sub = fx.Temp.Combine("sub");
        await fx.CofferOkAsync("restore", "latest:" + src, "--target", sub);
        AssertSameTree(src, sub);
        Assert.Equal([(byte)'t', (byte)'a', (byte)'r', (byte)'g', (byte)'e', (byte)'t', (byte)'-', 0xff],
            Coffer.Core.Interop.PosixFileSystem.ReadLink(Path.Combine(sub, "bad-target-link")));
    }

    [Fact]
    public async Task AnExclusiveLockIsReportedBeforeTheRestoreReadsOrWritesAnything()
    {
        using var fx = new InteropFixture();
        await fx.CofferOkAsync("init");
        var src = fx.Temp.Combine("src");
        EveryKindTree.Create(src);
        await fx.CofferOkAsync("backup", src, "--host", "h");
        await using (var backend = LocalBackend.Open(fx.RepoPath))
        {
            var repo = await Repository.OpenAsync(backend, Encoding.UTF8.GetBytes(fx.Password), TestContext.Current.CancellationToken);
            var foreign = new LockFile(GoTime.Now(TimeProvider.System), true, "other-host", "someone", 4242, 0, 0);
            await repo.SaveUnpackedAsync(FileType.Lock, foreign.Encode(), TestContext.Current.CancellationToken);
        }
        var target = fx.Temp.Combine("target");
        // The lock is looked at before the snapshot is searched for: a prune holding it may be deleting files.
        foreach (var snapshot in new[] { "latest", "0123abcd" })
        {
            var refused = await fx.Coffer.RunAsync("restore", snapshot, "--target", target);
            Assert.True(refused.ExitCode == 11, $"exit code {refused.ExitCode}: {refused.Error}");
            Assert.Contains("locked", refused.Error, StringComparison.Ordinal);
        }
        Assert.False(Directory.Exists(target));
        Assert.Single(Directory.GetFiles(Path.Combine(fx.RepoPath, "locks")));

        await fx.Restic.OkAsync("unlock", "--remove-all");
        await fx.CofferOkAsync("restore", "latest:" + src, "--target", target);
        AssertSameTree(src, target);
        Assert.Empty(Directory.GetFiles(Path.Combine(fx.RepoPath, "locks")));
    }

    /// <summary>
    /// Backs up a tree of every node kind plus 24 files of 3 MiB (long enough to interrupt a restore of it); returns
    /// its path and the options to start Coffer processes on the fixture's repository.
    /// </summary>
    private static async Task<(string Source, CofferProcess.Options Options)> BackUpTreeWithLargeFilesAsync(InteropFixture fx, string seed)
    {
        await fx.CofferOkAsync("init");
        var src = fx.Temp.Combine("src");
        EveryKindTree.Create(src, nonUtf8LinkTarget: false);
        for (var i = 0; i < 24; i++)
        {
            await File.WriteAllBytesAsync(Path.Combine(src, "nested", $"data-{i:00}.bin"), SourceTree.Stream($"{seed}{i}", 3 * 1024 * 1024 + i), TestContext.Current.CancellationToken);
        }
        await fx.CofferOkAsync("backup", src, "--host", "h");
        var options = new CofferProcess.Options();
        options.Environment["COFFER_REPOSITORY"] = fx.RepoPath;
        options.Environment["COFFER_PASSWORD_FILE"] = fx.PasswordFile;
        return (src, options);
    }

    [Fact]
    public async Task RestoreKilledWithSigkillCompletesWhenRunAgain()
    {
        using var fx = new InteropFixture();
        var (src, options) = await BackUpTreeWithLargeFilesAsync(fx, "data");
        var log = new StringBuilder();
        var killedMidway = 0;
        for (var round = 0; round < 4; round++)
        {
            var target = fx.Temp.Combine($"target-{round}");
            using (var run = CofferProcess.Start(options, "restore", "latest:" + src, "--target", target))
            {
                // Kill once content has started to arrive, a little later each round.
                var started = DateTime.UtcNow;
                while (!run.HasExited && DateTime.UtcNow - started < TimeSpan.FromSeconds(60)
                       && !(Directory.Exists(Path.Combine(target, "nested")) && Directory.EnumerateFiles(Path.Combine(target, "nested")).Count() > round * 3))
                {
                    await Task.Delay(2, TestContext.Current.CancellationToken);
                }
                var killed = run.KillHard();
                var r = await run.WaitAsync(RunTimeout);
                killedMidway += killed && r.ExitCode != 0 ? 1 : 0;
                log.Append($"round {round}: exit {r.ExitCode}; ");
            }
            var again = await fx.CofferOkAsync("restore", "latest:" + src, "--target", target);
            Assert.Contains("Summary: Restored ", again.Out, StringComparison.Ordinal);
            AssertSameTree(src, target);
        }
        Assert.True(killedMidway > 0, "no restore was killed while running: " + log);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(15)]
    public async Task RestoreInterruptedBySignalExitsWith130AndCompletesWhenRunAgain(int signal)
    {
        using var fx = new InteropFixture();
        var (src, options) = await BackUpTreeWithLargeFilesAsync(fx, "sig");
        var target = fx.Temp.Combine("target");
        using (var run = CofferProcess.Start(options, "restore", "latest:" + src, "--target", target))
        {
            var started = DateTime.UtcNow;
            while (!run.HasExited && DateTime.UtcNow - started < TimeSpan.FromSeconds(60)
                   && !(Directory.Exists(Path.Combine(target, "nested")) && Directory.EnumerateFiles(Path.Combine(target, "nested")).Any()))
            {
                await Task.Delay(2, TestContext.Current.CancellationToken);
            }
            var signalled = run.Signal(signal);
            var r = await run.WaitAsync(RunTimeout);
            // A restore that finished before the signal arrived exits 0; one that was stopped exits 130.
            Assert.True(signalled ? r.ExitCode is 130 or 0 : r.ExitCode == 0, $"exit {r.ExitCode}: {r.Error}");
            Assert.DoesNotContain("   at ", r.Error, StringComparison.Ordinal);
        }
        // No lock is left behind, and the same restore completes the target.
        var again = await fx.CofferOkAsync("restore", "latest:" + src, "--target", target);
        Assert.Contains("Summary: Restored ", again.Out, StringComparison.Ordinal);
        AssertSameTree(src, target);
        Assert.Empty(Directory.GetFiles(Path.Combine(fx.RepoPath, "locks")));
    }
}
