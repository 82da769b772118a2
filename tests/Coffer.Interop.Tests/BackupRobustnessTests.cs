using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Coffer.Backends.Local;
using Coffer.Core.Interop;
using Coffer.Core.Primitives;
using Coffer.Core.Repository;
using Coffer.Storage;
using Coffer.Testing;

namespace Coffer.Interop.Tests;

/// <summary>
/// The real <c>coffer</c> executable under kill -9, SIGTERM/SIGINT, unreadable files, fifos, foreign
/// locks and stdin; restic checks and restores what is left.
/// </summary>
public sealed class BackupRobustnessTests
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(60);
    private static readonly string[] PackSize4 = ["--pack-size", "4"];

    private static CofferProcess.Options Options(InteropFixture fx, byte[]? input = null, IReadOnlyList<string>? prefix = null)
    {
        var home = fx.Temp.Combine("home");
        Directory.CreateDirectory(home);
        var options = new CofferProcess.Options { Input = input, Prefix = prefix ?? [] };
        options.Environment["COFFER_REPOSITORY"] = fx.RepoPath;
        options.Environment["COFFER_PASSWORD_FILE"] = fx.PasswordFile;
        options.Environment["HOME"] = home;
        return options;
    }

    private static async Task<CofferProcess.Result> CofferAsync(InteropFixture fx, params string[] args) =>
        await CofferProcess.RunAsync(Options(fx), RunTimeout, args);

    private static async Task<CofferProcess.Result> CofferOkAsync(InteropFixture fx, params string[] args)
    {
        var r = await CofferAsync(fx, args);
        Assert.True(r.ExitCode == 0, $"coffer {string.Join(' ', args)} exited {r.ExitCode}: {r.Error}");
        return r;
    }

    private static byte[] RandomBytes(int seed, int length)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static async Task<List<string>> ResticSnapshotIdsAsync(InteropFixture fx, bool noLock = false) =>
        JsonDocument.Parse((await fx.Restic.OkAsync(noLock ? ["snapshots", "--json", "--no-lock"] : ["snapshots", "--json"])).Out).RootElement.EnumerateArray()
            .Select(s => s.GetProperty("id").GetString()!).ToList();

    private static async Task AssertResticCheckPassesAsync(InteropFixture fx, bool readData, bool noLock = false)
    {
        string[] args = ["check", .. readData ? ["--read-data"] : Array.Empty<string>(), .. noLock ? ["--no-lock"] : Array.Empty<string>()];
        var check = await fx.Restic.RunAsync(args);
        Assert.True(check.ExitCode == 0, $"restic check exited {check.ExitCode}: {check.Out}\n{check.Error}");
        Assert.Contains("no errors were found", check.Out, StringComparison.Ordinal);
    }

    private static async Task AssertRestoresAsync(InteropFixture fx, string id, string src, SortedDictionary<string, string> expected)
    {
        var target = fx.Temp.Combine("restore-" + Guid.NewGuid().ToString("N"));
        await fx.Restic.OkAsync("restore", id, "--target", target);
        var diff = TreeManifest.Diff(expected, TreeManifest.Of(target + src));
        Assert.True(diff.Count == 0, $"snapshot {id} does not restore identically:\n{string.Join('\n', diff.Take(20))}");
        Directory.Delete(target, recursive: true);
    }

    /// <summary>
    /// Lock files proper (named by their 64-hex id). A run killed while writing a lock may leave its
    /// <c>-tmp-</c> file behind, as restic's local backend does; neither program reads such files.
    /// </summary>
    private static string[] LockFiles(InteropFixture fx) =>
        Directory.Exists(Path.Combine(fx.RepoPath, "locks"))
            ? Directory.GetFiles(Path.Combine(fx.RepoPath, "locks")).Where(f => Path.GetFileName(f) is { Length: 64 } n && n.All(char.IsAsciiHexDigitLower)).ToArray()
            : [];

    /// <summary>Changes a little of the source and adds one file large enough that a backup takes a while.</summary>
    private static void Mutate(string src, int iteration)
    {
        File.AppendAllText(Path.Combine(src, "hello.txt"), $"iteration {iteration}\n");
        var previous = Path.Combine(src, $"iter-{iteration - 1}.bin");
        if (File.Exists(previous))
        {
            File.Delete(previous);
        }
        File.WriteAllBytes(Path.Combine(src, $"iter-{iteration}.bin"), RandomBytes(1000 + iteration, 14 * 1024 * 1024 + iteration));
        using (var fs = new FileStream(Path.Combine(src, $"base-{iteration % 6}.bin"), FileMode.Open, FileAccess.Write))
        {
            fs.Write(RandomBytes(2000 + iteration, 512 * 1024));
        }
        if (iteration % 3 == 0)
        {
            Directory.CreateDirectory(Path.Combine(src, $"dir-{iteration}"));
            File.WriteAllText(Path.Combine(src, $"dir-{iteration}", "small.txt"), $"small {iteration}\n");
            File.Delete(Path.Combine(src, "nested", "deeper", "deep.txt"));
        }
        else
        {
            File.WriteAllText(Path.Combine(src, "nested", "deeper", "deep.txt"), $"deep {iteration}\n");
        }
    }

    [Fact]
    public async Task KillNineDuringBackupLeavesEverySnapshotRestorable()
    {
        using var fx = new InteropFixture();
        await CofferOkAsync(fx, "init");
        var src = fx.Temp.Combine("src");
        SourceTree.CreateMixed(src);
        for (var i = 0; i < 6; i++)
        {
            File.WriteAllBytes(Path.Combine(src, $"base-{i}.bin"), RandomBytes(100 + i, 4 * 1024 * 1024));
        }
        string[] backup = ["backup", src, "--host", "crash", .. PackSize4];
        await CofferOkAsync(fx, backup);
        var manifests = new Dictionary<string, SortedDictionary<string, string>>(StringComparer.Ordinal)
        {
            [Assert.Single(await ResticSnapshotIdsAsync(fx))] = TreeManifest.Of(src),
        };

        var random = new Random(20240607);
        var killed = 0;
        var startedOverStaleLock = 0;
        var log = new StringBuilder();
        for (var iteration = 1; iteration <= 8; iteration++)
        {
            Mutate(src, iteration);
            var expected = TreeManifest.Of(src);
            var delay = random.Next(50, 1500);
            startedOverStaleLock += LockFiles(fx).Length > 0 ? 1 : 0;
            int exitCode;
            using (var run = CofferProcess.Start(Options(fx), backup))
            {
                await Task.Delay(delay);
                run.KillHard();
                var r = await run.WaitAsync(RunTimeout);
                exitCode = r.ExitCode;
                // A stale lock of an earlier killed run must not block this one: it finishes or is killed, nothing else.
                Assert.True(r.ExitCode is 0 or 128 + CofferProcess.SigKill, $"iteration {iteration}: coffer backup exited {r.ExitCode}: {r.Error}");
            }
            killed += exitCode == 0 ? 0 : 1;
            log.Append(CultureInfoInvariant($"#{iteration}: {delay} ms → {(exitCode == 0 ? "finished" : "killed")}; "));

            // restic's check wants an exclusive lock and, unlike Coffer, does not look past the stale lock a
            // killed run leaves; that lock stays for the next backup to prove it does not block.
            await AssertResticCheckPassesAsync(fx, readData: true, noLock: true);
            var ours = (await CofferOkAsync(fx, "snapshots", "--json")).Out.Trim();
            Assert.Equal((await fx.Restic.OkAsync("snapshots", "--json")).Out.Trim(), ours);
            var ids = await ResticSnapshotIdsAsync(fx);
            Assert.Empty(manifests.Keys.Except(ids));
            var created = ids.Except(manifests.Keys).ToList();
            Assert.True(exitCode == 0 ? created.Count == 1 : created.Count <= 1,
                $"iteration {iteration} (exit {exitCode}) created {created.Count} snapshots");
            foreach (var id in created)
            {
                // Restored with all others at the end, after every later kill.
                manifests[id] = expected;
            }
        }
        Assert.True(killed >= 1, $"no run was killed mid-way: {log}");

        // The locks of killed runs are stale: a complete backup needs no unlock.
        startedOverStaleLock += LockFiles(fx).Length > 0 ? 1 : 0;
        await CofferOkAsync(fx, backup);
        Assert.True(startedOverStaleLock >= 1, $"no backup started over a killed run's lock: {log}");
        var last = (await ResticSnapshotIdsAsync(fx)).Except(manifests.Keys).Single();
        manifests[last] = TreeManifest.Of(src);
        // restic too recognises the locks of killed Coffer runs as stale (dead process on this host) and removes them.
        await fx.Restic.OkAsync("unlock");
        Assert.True(LockFiles(fx).Length == 0, "left in locks/: " + string.Join(", ", LockFiles(fx).Select(f => $"{Path.GetFileName(f)} ({new FileInfo(f).Length} bytes)")));
        await AssertResticCheckPassesAsync(fx, readData: false);
        foreach (var (id, manifest) in manifests)
        {
            await AssertRestoresAsync(fx, id, src, manifest);
        }
    }

    private static string CultureInfoInvariant(FormattableString s) => s.ToString(System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    [InlineData(CofferProcess.SigTerm)]
    [InlineData(CofferProcess.SigInt)]
    public async Task SignalStopsTheBackupPromptlyWithExitCode130(int signal)
    {
        using var fx = new InteropFixture();
        await CofferOkAsync(fx, "init");
        var src = fx.Temp.Combine("src");
        Directory.CreateDirectory(src);
        // Large enough that even an unloaded machine is still reading when the signal arrives.
        for (var i = 0; i < 24; i++)
        {
            File.WriteAllBytes(Path.Combine(src, $"data-{i}.bin"), RandomBytes(300 + i, 8 * 1024 * 1024));
        }
        using var run = CofferProcess.Start(Options(fx), ["backup", src, .. PackSize4]);
        // The lock is taken after the signal handlers are installed; from then on the backup is under way.
        var waited = Stopwatch.StartNew();
        while (LockFiles(fx).Length == 0 && !run.HasExited && waited.Elapsed < RunTimeout)
        {
            await Task.Delay(10);
        }
        await Task.Delay(300);
        Assert.False(run.HasExited, "the backup finished before the signal was sent");
        var sent = Stopwatch.StartNew();
        Assert.True(run.Signal(signal));
        var r = await run.WaitAsync(TimeSpan.FromSeconds(15));
        var took = sent.Elapsed;
        Assert.True(r.ExitCode == 130, $"exit code {r.ExitCode}: {r.Error}");
        Assert.True(took < TimeSpan.FromSeconds(5), $"took {took.TotalSeconds:0.0} s to stop");

        Assert.Empty(LockFiles(fx));
        Assert.Equal("", (await CofferOkAsync(fx, "list", "locks")).Out.Trim());
        Assert.Empty(Directory.GetFiles(Path.Combine(fx.RepoPath, "snapshots")));
        await AssertResticCheckPassesAsync(fx, readData: true);
        Assert.Empty(await ResticSnapshotIdsAsync(fx));
    }

    [Fact]
    public async Task UnreadableFilesAreNamedAndTheRestIsSavedWithExitCode3()
    {
        if (PosixFileSystem.LStat("/proc/self"u8).Uid != 0)
        {
            Assert.Skip("needs root to run coffer as another user");
        }
        string[] prefix = File.Exists("/usr/bin/setpriv") ? ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
            : File.Exists("/usr/sbin/runuser") ? ["/usr/sbin/runuser", "-u", "nobody", "--"]
            : [];
        if (prefix.Length == 0)
        {
            Assert.Skip("neither setpriv nor runuser is installed");
        }
        using var fx = new InteropFixture();
        var everyone = (UnixFileMode)0x1FF; // 0777
        File.SetUnixFileMode(fx.Temp.Path, everyone);
        File.SetUnixFileMode(fx.PasswordFile, (UnixFileMode)0x1B6); // 0666
        var options = Options(fx, prefix: prefix);
        File.SetUnixFileMode(options.Environment["HOME"], everyone);

        var src = fx.Temp.Combine("src");
        Directory.CreateDirectory(Path.Combine(src, "sub"));
        Directory.CreateDirectory(Path.Combine(src, "locked-dir"));
        File.WriteAllText(Path.Combine(src, "readable.txt"), "readable\n");
        File.WriteAllText(Path.Combine(src, "sub", "inner.txt"), "inner\n");
        File.WriteAllText(Path.Combine(src, "secret.txt"), "secret\n");
        File.WriteAllText(Path.Combine(src, "locked-dir", "hidden.txt"), "hidden\n");
        foreach (var d in new[] { src, Path.Combine(src, "sub"), Path.Combine(src, "locked-dir") })
        {
            File.SetUnixFileMode(d, everyone);
        }
        foreach (var f in Directory.GetFiles(src, "*", SearchOption.AllDirectories))
        {
            File.SetUnixFileMode(f, (UnixFileMode)0x1B6);
        }
        File.SetUnixFileMode(Path.Combine(src, "secret.txt"), UnixFileMode.None);
        File.SetUnixFileMode(Path.Combine(src, "locked-dir"), UnixFileMode.None);

        var init = await CofferProcess.RunAsync(options, RunTimeout, "init");
        Assert.True(init.ExitCode == 0, $"coffer init as nobody exited {init.ExitCode}: {init.Error}");
        var r = await CofferProcess.RunAsync(options, RunTimeout, "backup", src);
        Assert.True(r.ExitCode == 3, $"exit code {r.ExitCode}: {r.Error}");
        Assert.Contains(Path.Combine(src, "secret.txt"), r.Error, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(src, "locked-dir"), r.Error, StringComparison.Ordinal);
        Assert.Contains("snapshot", r.Out, StringComparison.Ordinal);

        Assert.Single(await ResticSnapshotIdsAsync(fx));
        var listed = (await fx.Restic.OkAsync("ls", "latest")).Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(Path.Combine(src, "readable.txt"), listed);
        Assert.Contains(Path.Combine(src, "sub", "inner.txt"), listed);
        Assert.DoesNotContain(Path.Combine(src, "secret.txt"), listed);
        Assert.DoesNotContain(listed, l => l.EndsWith("hidden.txt", StringComparison.Ordinal));
        await AssertResticCheckPassesAsync(fx, readData: true);
    }

    [Fact]
    public async Task AFifoWithoutWriterNeverBlocks()
    {
        using var fx = new InteropFixture();
        await CofferOkAsync(fx, "init");
        var src = fx.Temp.Combine("src");
        Directory.CreateDirectory(src);
        File.WriteAllText(Path.Combine(src, "a.txt"), "a\n");
        PosixFileSystem.MakeFifo(Path.Combine(src, "fifo"), 0x1A4);
        await CofferOkAsync(fx, "backup", src);
        var nodes = (await fx.Restic.OkAsync("ls", "--json", "latest")).Out.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement)
            .Where(e => e.TryGetProperty("struct_type", out var t) && t.GetString() == "node")
            .ToDictionary(e => e.GetProperty("name").GetString()!, e => e.GetProperty("type").GetString()!, StringComparer.Ordinal);
        Assert.Equal("fifo", nodes["fifo"]);
        Assert.Equal("file", nodes["a.txt"]);
    }

    [Fact]
    public async Task AnExclusiveLockOfAnotherHostBlocksUntilResticUnlocks()
    {
        using var fx = new InteropFixture();
        await CofferOkAsync(fx, "init");
        var src = fx.Temp.Combine("src");
        SourceTree.CreateMixed(src);
        await using (var backend = LocalBackend.Open(fx.RepoPath))
        {
            var repo = await Repository.OpenAsync(backend, Encoding.UTF8.GetBytes(fx.Password), TestContext.Current.CancellationToken);
            var foreign = new LockFile(GoTime.Now(TimeProvider.System), true, "other-host", "someone", 4242, 0, 0);
            await repo.SaveUnpackedAsync(FileType.Lock, foreign.Encode(), TestContext.Current.CancellationToken);
        }
        var refused = await CofferAsync(fx, "backup", src);
        Assert.True(refused.ExitCode == 11, $"exit code {refused.ExitCode}: {refused.Error}");
        Assert.Contains("locked", refused.Error, StringComparison.Ordinal);
        Assert.Empty(await ResticSnapshotIdsAsync(fx, noLock: true));

        await fx.Restic.OkAsync("unlock", "--remove-all");
        await CofferOkAsync(fx, "backup", src);
        Assert.Single(await ResticSnapshotIdsAsync(fx));
        Assert.Empty(LockFiles(fx));
    }

    [Fact]
    public async Task ASharedCofferLockStopsResticPruneButNotResticBackup()
    {
        using var fx = new InteropFixture();
        await CofferOkAsync(fx, "init");
        var src = fx.Temp.Combine("src");
        SourceTree.CreateMixed(src);
        var ct = TestContext.Current.CancellationToken;
        await using (var backend = LocalBackend.Open(fx.RepoPath))
        {
            var repo = await Repository.OpenAsync(backend, Encoding.UTF8.GetBytes(fx.Password), ct);
            await using (var held = await RepositoryLock.AcquireAsync(repo, exclusive: false, ct))
            {
                var prune = await fx.Restic.RunAsync("prune");
                Assert.NotEqual(0, prune.ExitCode);
                Assert.Contains("locked", prune.Error, StringComparison.Ordinal);
                await fx.Restic.OkAsync("backup", src, "--host", "h");
                Assert.Contains(held.Name, LockFiles(fx).Select(Path.GetFileName));
            }
        }
        Assert.Empty(LockFiles(fx));
        await fx.Restic.OkAsync("prune");
        Assert.Single(await ResticSnapshotIdsAsync(fx));
    }

    [Fact]
    public async Task StdinIsStoredExactly()
    {
        using var fx = new InteropFixture();
        await CofferOkAsync(fx, "init");
        // SQL-like text, so the bytes survive restic's output being read as text.
        var random = new Random(6);
        var sql = new StringBuilder();
        for (var row = 0; sql.Length < 3 * 1024 * 1024; row++)
        {
            sql.Append(CultureInfoInvariant($"INSERT INTO t VALUES ({row}, '{random.NextInt64():x16}{random.NextInt64():x16}');\n"));
        }
        var input = Encoding.ASCII.GetBytes(sql.ToString());
        var r = await CofferProcess.RunAsync(Options(fx, input), RunTimeout, "backup", "--stdin", "--stdin-filename", "db.sql");
        Assert.True(r.ExitCode == 0, $"exit code {r.ExitCode}: {r.Error}");
        var dumped = (await fx.Restic.OkAsync("dump", "latest", "db.sql")).Out;
        Assert.Equal(input.Length, dumped.Length);
        Assert.True(sql.ToString() == dumped, "restic dump differs from what was piped in");
        await AssertResticCheckPassesAsync(fx, readData: true);
    }

    [Fact]
    public async Task StdinFromCommandStoresItsOutputAndAFailingCommandLeavesNoSnapshot()
    {
        using var fx = new InteropFixture();
        await CofferOkAsync(fx, "init");
        await CofferOkAsync(fx, "backup", "--stdin-from-command", "--", "sh", "-c", "printf hello");
        Assert.Equal("hello", (await fx.Restic.OkAsync("dump", "latest", "stdin")).Out);
        var before = await ResticSnapshotIdsAsync(fx);
        Assert.Single(before);

        var failed = await CofferAsync(fx, "backup", "--stdin-from-command", "--", "sh", "-c", "printf partial; exit 1");
        Assert.True(failed.ExitCode == 1, $"exit code {failed.ExitCode}: {failed.Error}");
        Assert.Contains("exited with code 1", failed.Error, StringComparison.Ordinal);
        Assert.Equal(before, await ResticSnapshotIdsAsync(fx));
        Assert.Empty(LockFiles(fx));
        await AssertResticCheckPassesAsync(fx, readData: true);
    }
}
