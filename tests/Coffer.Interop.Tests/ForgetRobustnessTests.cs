using System.Text.Json;
using Coffer.Testing;

namespace Coffer.Interop.Tests;

/// <summary>
/// The real <c>coffer</c> executable killed with SIGKILL in the middle of <c>forget</c> and <c>tag</c>:
/// afterwards <c>coffer unlock</c> clears the dead lock, restic's check passes, and no snapshot the policy
/// keeps (forget) and no snapshot at all (tag, counted by its first version) is lost.
/// </summary>
public sealed class ForgetRobustnessTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static CofferProcess.Options Options(InteropFixture fx)
    {
        var options = new CofferProcess.Options();
        options.Environment["COFFER_REPOSITORY"] = fx.RepoPath;
        options.Environment["COFFER_PASSWORD_FILE"] = fx.PasswordFile;
        options.Environment["HOME"] = fx.Temp.Path;
        return options;
    }

    private static async Task<List<JsonElement>> SnapshotsAsync(InteropFixture fx) =>
        JsonDocument.Parse((await fx.Restic.OkAsync("snapshots", "--json")).Out).RootElement.EnumerateArray().ToList();

    private static int SnapshotFiles(InteropFixture fx) => Directory.GetFiles(Path.Combine(fx.RepoPath, "snapshots"), "*", SearchOption.AllDirectories).Length;

    /// <summary>
    /// Kills the run after <paramref name="milliseconds"/>, or, with -1, as soon as the number of snapshot
    /// files changes (the first deletion or rewrite), so the kill lands in the middle of the work.
    /// </summary>
    private static async Task KillAfterAsync(InteropFixture fx, int milliseconds, params string[] args)
    {
        var before = SnapshotFiles(fx);
        using var process = CofferProcess.Start(Options(fx), args);
        if (milliseconds >= 0)
        {
            await Task.Delay(milliseconds, Ct);
        }
        else
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (SnapshotFiles(fx) == before && !process.HasExited && DateTime.UtcNow < deadline)
            {
                Thread.SpinWait(1000);
            }
        }
        process.KillHard();
        await process.WaitAsync(TimeSpan.FromSeconds(30));
    }

    private static async Task UnlockAndCheckAsync(InteropFixture fx)
    {
        var unlock = await CofferProcess.RunAsync(Options(fx), TimeSpan.FromSeconds(60), "unlock");
        Assert.True(unlock.ExitCode == 0, unlock.Error);
        Assert.Contains("successfully removed locks", unlock.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(Directory.GetFiles(Path.Combine(fx.RepoPath, "locks")), f => !Path.GetFileName(f).Contains("-tmp-", StringComparison.Ordinal));
        var check = await fx.Restic.RunAsync("check");
        Assert.True(check.ExitCode == 0, $"restic check: {check.Out}\n{check.Error}");
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(300)]
    [InlineData(900)]
    public async Task ForgetKilledLosesNoKeptSnapshot(int killAfterMs)
    {
        using var fx = new InteropFixture();
        await SnapshotSetup.AddAsync(fx, 150, seed: killAfterMs + 1000, Ct);
        string[] policy = ["--keep-last", "2", "--keep-monthly", "3"];
        var plan = JsonDocument.Parse((await fx.Restic.OkAsync(["forget", "--dry-run", "--json", "--no-lock", .. policy])).Out).RootElement;
        var keep = plan.EnumerateArray().SelectMany(g => g.GetProperty("keep").EnumerateArray().Select(s => s.GetProperty("id").GetString()!)).ToHashSet();

        await KillAfterAsync(fx, killAfterMs, ["forget", .. policy]);
        await UnlockAndCheckAsync(fx);
        var left = (await SnapshotsAsync(fx)).Select(s => s.GetProperty("id").GetString()!).ToHashSet();
        Assert.Subset(left, keep);

        // Run again to completion: exactly the kept ones remain.
        var again = await CofferProcess.RunAsync(Options(fx), TimeSpan.FromSeconds(120), ["forget", .. policy]);
        Assert.True(again.ExitCode == 0, again.Error);
        Assert.Equal(keep.Order(StringComparer.Ordinal), (await SnapshotsAsync(fx)).Select(s => s.GetProperty("id").GetString()!).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(700)]
    public async Task TagKilledLosesNoSnapshot(int killAfterMs)
    {
        using var fx = new InteropFixture();
        var ids = await SnapshotSetup.AddAsync(fx, 150, seed: killAfterMs + 1000, Ct);
        await KillAfterAsync(fx, killAfterMs, "tag", "--add", "rotated");
        await UnlockAndCheckAsync(fx);
        var snapshots = await SnapshotsAsync(fx);
        var firstVersions = snapshots.Select(s => s.TryGetProperty("original", out var o) ? o.GetString()! : s.GetProperty("id").GetString()!).ToHashSet();
        Assert.Equal(ids.Select(i => i.ToString()).Order(StringComparer.Ordinal), firstVersions.Order(StringComparer.Ordinal));
    }
}
