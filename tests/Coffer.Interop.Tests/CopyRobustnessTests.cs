using System.Text;
using System.Text.Json;
using Coffer.Testing;

namespace Coffer.Interop.Tests;

/// <summary>
/// The real <c>coffer copy</c> killed with SIGKILL at random moments while it copies a restic-made repository's
/// snapshots: afterwards the destination passes Coffer's and restic's <c>check --read-data</c>, holds only complete
/// copies, and a rerun finishes the job, every copy restoring (with restic) exactly as its source snapshot.
/// </summary>
public sealed class CopyRobustnessTests
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(120);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static CofferProcess.Options Options(InteropFixture fx, string destination, string destinationPassword)
    {
        var options = new CofferProcess.Options();
        options.Environment["COFFER_REPOSITORY"] = destination;
        options.Environment["COFFER_PASSWORD_FILE"] = destinationPassword;
        options.Environment["RESTIC_FROM_REPOSITORY"] = fx.RepoPath;
        options.Environment["RESTIC_FROM_PASSWORD_FILE"] = fx.PasswordFile;
        options.Environment["HOME"] = fx.Temp.Path;
        return options;
    }

    private static byte[] RandomBytes(int seed, int length)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static async Task<List<JsonElement>> SnapshotsAsync(InteropFixture fx, params string[] repository) =>
        JsonDocument.Parse((await fx.Restic.OkAsync([.. repository, "snapshots", "--json", "--no-lock"])).Out).RootElement.EnumerateArray().ToList();

    private static int Files(string repository, string folder) =>
        Directory.Exists(Path.Combine(repository, folder)) ? Directory.GetFiles(Path.Combine(repository, folder), "*", SearchOption.AllDirectories).Length : 0;

    [Fact]
    public async Task KillNineDuringCopyLeavesAValidDestinationAndARerunFinishes()
    {
        using var fx = new InteropFixture();
        await fx.Restic.OkAsync("init");
        var src = fx.Temp.Combine("src");
        SourceTree.CreateMixed(src);
        var manifests = new Dictionary<string, SortedDictionary<string, string>>(StringComparer.Ordinal);
        for (var i = 0; i < 4; i++)
        {
            await File.WriteAllBytesAsync(Path.Combine(src, $"data-{i}.bin"), RandomBytes(i, 12 * 1024 * 1024), Ct);
            await fx.Restic.OkAsync("backup", src, "--host", "crash");
            manifests[(await SnapshotsAsync(fx))[^1].GetProperty("id").GetString()!] = TreeManifest.Of(src);
        }

        var random = new Random(20240611);
        var log = new StringBuilder();
        var killed = 0;
        for (var round = 0; round < 3; round++)
        {
            var destination = fx.Temp.Combine($"destination-{round}");
            var password = fx.WritePassword($"destination-{round}-password", $"destination {round}");
            var options = Options(fx, destination, password);
            var init = await CofferProcess.RunAsync(options, RunTimeout, "init");
            Assert.True(init.ExitCode == 0, init.Error);
            string[] copy = ["copy", "--pack-size", "4"];
            string[] dst = ["-r", destination, "--password-file", password];

            // Round 2 starts from a destination that holds the first two snapshots already.
            if (round == 2)
            {
                var firstTwo = await CofferProcess.RunAsync(options, RunTimeout, [.. copy, .. manifests.Keys.Take(2)]);
                Assert.True(firstTwo.ExitCode == 0, firstTwo.Error);
            }
            // Kill once the run has written its first pack (rounds 0 and 2) or a random moment later (round 1).
            var delay = round == 1 ? random.Next(50, 1500) : 0;
            var packsBefore = Files(destination, "data");
            using (var run = CofferProcess.Start(options, copy))
            {
                var deadline = DateTime.UtcNow.AddSeconds(60);
                while (Files(destination, "data") == packsBefore && !run.HasExited && DateTime.UtcNow < deadline)
                {
                    Thread.SpinWait(1000);
                }
                await Task.Delay(delay, Ct);
                killed += run.KillHard() ? 1 : 0;
                var r = await run.WaitAsync(RunTimeout);
                Assert.True(r.ExitCode is 0 or 128 + CofferProcess.SigKill, $"round {round}: coffer copy exited {r.ExitCode}: {r.Error}");
                log.Append(System.Globalization.CultureInfo.InvariantCulture, $"#{round}: +{delay} ms → exit {r.ExitCode}, {Files(destination, "data")} packs, ");
            }

            // The killed run's lock is stale; Coffer's check looks past it, restic's after an unlock.
            var check = await CofferProcess.RunAsync(options, RunTimeout, "check", "--read-data");
            Assert.True(check.ExitCode == 0, $"round {round}: coffer check: {check.Out}\n{check.Error}");
            var unlock = await CofferProcess.RunAsync(options, RunTimeout, "unlock");
            Assert.True(unlock.ExitCode == 0, unlock.Error);
            var resticCheck = await fx.Restic.RunAsync([.. dst, "check"]);
            Assert.True(resticCheck.ExitCode == 0, $"round {round}: restic check: {resticCheck.Out}\n{resticCheck.Error}");
            var partial = await SnapshotsAsync(fx, dst);
            log.Append(System.Globalization.CultureInfo.InvariantCulture, $"{partial.Count} copied; ");

            var again = await CofferProcess.RunAsync(options, RunTimeout, copy);
            Assert.True(again.ExitCode == 0, $"round {round}: rerun: {again.Error}");
            Assert.Equal(partial.Count, again.Out.Split('\n').Count(l => l.StartsWith("skipping snapshot ", StringComparison.Ordinal)));
            var copies = await SnapshotsAsync(fx, dst);
            Assert.Equal(manifests.Keys.Order(StringComparer.Ordinal), copies.Select(c => c.GetProperty("original").GetString()!).Order(StringComparer.Ordinal));
            resticCheck = await fx.Restic.RunAsync([.. dst, "check", "--read-data"]);
            Assert.True(resticCheck.ExitCode == 0, $"round {round}: restic check after rerun: {resticCheck.Out}\n{resticCheck.Error}");
            foreach (var c in copies)
            {
                var target = fx.Temp.Combine($"restore-{round}-{c.GetProperty("short_id").GetString()}");
                await fx.Restic.OkAsync([.. dst, "restore", c.GetProperty("id").GetString()!, "--target", target]);
                var diff = TreeManifest.Diff(manifests[c.GetProperty("original").GetString()!], TreeManifest.Of(target + src));
                Assert.True(diff.Count == 0, $"round {round}: copy does not restore as its source:\n{string.Join('\n', diff.Take(20))}");
                Directory.Delete(target, recursive: true);
            }
        }
        TestContext.Current.TestOutputHelper?.WriteLine(log.ToString());
        Assert.True(killed >= 1, $"no copy was killed mid-way: {log}");
    }
}
