using System.Text.RegularExpressions;
using Coffer.Testing;

namespace Coffer.Interop.Tests;

/// <summary>
/// <c>coffer prune</c> against restic 0.14: restic's check (with <c>--read-data</c>) passes after Coffer prunes a
/// repository either tool made, the kept snapshot restores identically, and Coffer's dry-run counts of used, unused
/// and deleted blobs equal restic's. A prune killed with SIGKILL at any moment leaves a repository both checkers pass,
/// and the next prune finishes the job.
/// </summary>
public sealed partial class PruneInteropTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Writes generation <paramref name="round"/> of a source tree: some files change, some go, some stay.</summary>
    private static void WriteGeneration(string src, int round, int files = 40, int size = 200_000)
    {
        Directory.CreateDirectory(src);
        for (var i = 0; i < files; i++)
        {
            var path = Path.Combine(src, $"dir{i % 5}", $"file{i}.bin");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            // A third of the files change every round, a third every other round, a third never.
            var version = (i % 3) switch { 0 => round, 1 => round / 2, _ => 0 };
            File.WriteAllBytes(path, SourceTree.Stream($"f{i}v{version}", size + i * 1000));
        }
        File.WriteAllText(Path.Combine(src, "round.txt"), $"round {round}\n");
    }

    private static async Task BackupRoundsAsync(InteropFixture fx, string src, int rounds, bool withRestic)
    {
        for (var round = 0; round < rounds; round++)
        {
            WriteGeneration(src, round);
            if (withRestic)
            {
                await fx.Restic.OkAsync("backup", "--host", "h", src);
            }
            else
            {
                await fx.CofferOkAsync("backup", "--host", "h", src);
            }
        }
    }

    private static async Task AssertResticRestoresLatestAsync(InteropFixture fx, string src)
    {
        var target = fx.Temp.Combine("restored-" + Guid.NewGuid().ToString("N")[..8]);
        await fx.Restic.OkAsync("restore", "latest", "--target", target);
        var restored = Path.Combine(target, src.TrimStart('/'));
        Assert.Equal(TreeManifest.Of(src, withOwner: false), TreeManifest.Of(restored, withOwner: false));
    }

    private static async Task AssertResticCheckPassesAsync(InteropFixture fx)
    {
        var check = await fx.Restic.RunAsync("check", "--read-data");
        Assert.True(check.ExitCode == 0, $"restic check: {check.Out}\n{check.Error}");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task PrunedRepositoryPassesResticCheckAndRestores(bool madeByRestic)
    {
        using var fx = new InteropFixture();
        if (madeByRestic)
        {
            await fx.Restic.OkAsync("init");
        }
        else
        {
            await fx.CofferOkAsync("init");
        }
        var src = fx.Temp.Combine("src");
        await BackupRoundsAsync(fx, src, 4, madeByRestic);
        var packsBefore = Directory.GetFiles(Path.Combine(fx.RepoPath, "data"), "*", SearchOption.AllDirectories).ToHashSet();

        var run = await fx.CofferOkAsync("forget", "--keep-last", "1", "--prune", "--max-unused", "0");
        Assert.Contains("running prune", run.Out, StringComparison.Ordinal);
        Assert.Contains("removing", run.Out, StringComparison.Ordinal);
        var packsAfter = Directory.GetFiles(Path.Combine(fx.RepoPath, "data"), "*", SearchOption.AllDirectories).ToHashSet();
        Assert.NotEqual(packsBefore, packsAfter);

        await AssertResticCheckPassesAsync(fx);
        await fx.CofferOkAsync("check", "--read-data");
        await AssertResticRestoresLatestAsync(fx, src);
        // Nothing left to do: restic agrees that no data is unused.
        var again = await fx.Restic.OkAsync("prune", "--dry-run", "--max-unused", "0", "-v");
        Assert.Matches(@"unused:\s+0 blobs", again.Out);
    }

    [Fact]
    public async Task DryRunCountsEqualRestics()
    {
        using var fx = new InteropFixture();
        await fx.Restic.OkAsync("init");
        var src = fx.Temp.Combine("src");
        await BackupRoundsAsync(fx, src, 5, withRestic: true);
        await fx.Restic.OkAsync("forget", "--keep-last", "2");

        var restic = await fx.Restic.OkAsync("prune", "--dry-run", "-v");
        var coffer = await fx.CofferOkAsync("prune", "--dry-run", "-v");
        foreach (var label in new[] { "used:", "unused:", "total:", "to repack:", "this removes:", "to delete:", "total prune:", "remaining:" })
        {
            Assert.Equal(Line(restic.Out, label), Line(coffer.Out, label));
        }
    }

    private static string Line(string output, string label) =>
        output.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith(label, StringComparison.Ordinal))
            ?? throw new Xunit.Sdk.XunitException($"no line starting with {label} in:\n{output}");

    [Theory]
    [InlineData(-1)]
    [InlineData(150)]
    [InlineData(400)]
    [InlineData(800)]
    public async Task KilledPruneLeavesAValidRepository(int killAfterMs)
    {
        using var fx = new InteropFixture();
        await fx.CofferOkAsync("init");
        var src = fx.Temp.Combine("src");
        await BackupRoundsAsync(fx, src, 4, withRestic: false);
        await fx.CofferOkAsync("forget", "--keep-last", "1");

        var options = new CofferProcess.Options();
        options.Environment["COFFER_REPOSITORY"] = fx.RepoPath;
        options.Environment["COFFER_PASSWORD_FILE"] = fx.PasswordFile;
        options.Environment["HOME"] = fx.Temp.Path;
        var data = Path.Combine(fx.RepoPath, "data");
        var before = Directory.GetFiles(data, "*", SearchOption.AllDirectories).Length;
        using (var process = CofferProcess.Start(options, "prune", "--max-unused", "0"))
        {
            if (killAfterMs >= 0)
            {
                await Task.Delay(killAfterMs, Ct);
            }
            else
            {
                // Right after the first new pack lands, in the middle of repacking.
                var deadline = DateTime.UtcNow.AddSeconds(60);
                while (Directory.GetFiles(data, "*", SearchOption.AllDirectories).Length == before && !process.HasExited && DateTime.UtcNow < deadline)
                {
                    Thread.SpinWait(1000);
                }
            }
            process.KillHard();
            await process.WaitAsync(TimeSpan.FromSeconds(30));
        }
        await fx.CofferOkAsync("unlock");
        await AssertResticCheckPassesAsync(fx);
        await fx.CofferOkAsync("check", "--read-data");
        await AssertResticRestoresLatestAsync(fx, src);

        await fx.CofferOkAsync("prune", "--max-unused", "0");
        await AssertResticCheckPassesAsync(fx);
        var check = await fx.CofferOkAsync("check", "--read-data");
        Assert.DoesNotMatch(UnreferencedPattern(), check.Out);
        await AssertResticRestoresLatestAsync(fx, src);
    }

    [GeneratedRegex("not referenced in any index")]
    private static partial Regex UnreferencedPattern();
}
