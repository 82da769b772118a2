using Coffer.Backends.Local;
using Coffer.Core.Index;
using Coffer.Core.Model;
using Coffer.Core.Primitives;
using Coffer.Testing;
using Repo = Coffer.Core.Repository.Repository;

namespace Coffer.Interop.Tests;

/// <summary>
/// The real <c>coffer repair index</c> killed with SIGKILL at random moments on a repository that lost half its index
/// files: no index entry that was there before is lost, and after <c>unlock</c> and a rerun both checkers pass.
/// </summary>
public sealed class RepairRobustnessTests
{
    private const int Packs = 160;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static CofferProcess.Options Options(InteropFixture fx)
    {
        var options = new CofferProcess.Options();
        options.Environment["COFFER_REPOSITORY"] = fx.RepoPath;
        options.Environment["COFFER_PASSWORD_FILE"] = fx.PasswordFile;
        options.Environment["HOME"] = fx.Temp.Path;
        return options;
    }

    private static int IndexFiles(InteropFixture fx) => Directory.GetFiles(Path.Combine(fx.RepoPath, "index")).Length;

    /// <summary>A repository of <see cref="Packs"/> data packs (one index file each) and one snapshot using every blob.</summary>
    private static async Task CreateAsync(InteropFixture fx)
    {
        await using var builder = await RepositoryBuilder.CreateAsync(LocalBackend.Open(fx.RepoPath), fx.Password);
        var nodes = new List<Node>();
        for (var i = 0; i < Packs; i++)
        {
            nodes.Add(await builder.FileAsync($"f{i:D3}", SourceTree.Stream($"pack {i}", 2000 + i)));
            await builder.FlushAsync();
        }
        await builder.SnapshotAsync(await builder.TreeAsync([.. nodes]));
    }

    private static async Task<HashSet<IndexedBlob>> IndexEntriesAsync(InteropFixture fx)
    {
        var repo = await Repo.OpenAsync(LocalBackend.Open(fx.RepoPath), System.Text.Encoding.UTF8.GetBytes(fx.Password), Ct);
        await repo.LoadIndexAsync(Ct);
        return repo.Index.All().ToHashSet();
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var dir in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        }
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
        }
    }

    /// <summary>How long a whole run takes here: a run on a copy of the damaged repository, timed.</summary>
    private static async Task<TimeSpan> TimeRunAsync(InteropFixture fx)
    {
        var copy = fx.Temp.Combine("probe");
        CopyDirectory(fx.RepoPath, copy);
        var options = Options(fx);
        options.Environment["COFFER_REPOSITORY"] = copy;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var r = await CofferProcess.RunAsync(options, TimeSpan.FromSeconds(120), "repair", "index");
        Assert.True(r.ExitCode == 0, r.Error);
        return watch.Elapsed;
    }

    /// <summary>
    /// Kills the run at a fraction of the time a whole run takes (so the kill lands in loading, reading, writing
    /// or deleting whatever this machine's speed), or, with -1, as soon as the new index file appears.
    /// </summary>
    [Theory]
    [InlineData(-1)]
    [InlineData(0.3)]
    [InlineData(0.6)]
    [InlineData(0.8)]
    [InlineData(0.95)]
    public async Task RepairIndexKilledLosesNoIndexEntry(double killAt)
    {
        using var fx = new InteropFixture();
        await CreateAsync(fx);
        var all = await IndexEntriesAsync(fx);
        var random = new Random((int)(killAt * 100) + 7);
        foreach (var f in Directory.GetFiles(Path.Combine(fx.RepoPath, "index")).Where(_ => random.Next(2) == 0))
        {
            File.Delete(f);
        }
        var damaged = await IndexEntriesAsync(fx);
        Assert.True(damaged.Count < all.Count);

        var killAfterMs = killAt < 0 ? -1 : (int)((await TimeRunAsync(fx)).TotalMilliseconds * killAt);
        var before = IndexFiles(fx);
        using (var process = CofferProcess.Start(Options(fx), "repair", "index"))
        {
            if (killAfterMs >= 0)
            {
                await Task.Delay(killAfterMs, Ct);
            }
            else
            {
                // As soon as the new index file is there: the old ones are being deleted.
                var deadline = DateTime.UtcNow.AddSeconds(60);
                while (IndexFiles(fx) <= before && !process.HasExited && DateTime.UtcNow < deadline)
                {
                    Thread.SpinWait(1000);
                }
            }
            process.KillHard();
            await process.WaitAsync(TimeSpan.FromSeconds(30));
        }
        Assert.Subset(all, damaged);
        Assert.Subset(await IndexEntriesAsync(fx), damaged);

        var unlock = await CofferProcess.RunAsync(Options(fx), TimeSpan.FromSeconds(60), "unlock");
        Assert.True(unlock.ExitCode == 0, unlock.Error);
        var rerun = await CofferProcess.RunAsync(Options(fx), TimeSpan.FromSeconds(120), "repair", "index");
        Assert.True(rerun.ExitCode == 0, rerun.Error);
        Assert.Equal(all, await IndexEntriesAsync(fx));
        var check = await CofferProcess.RunAsync(Options(fx), TimeSpan.FromSeconds(120), "check", "--read-data");
        Assert.True(check.ExitCode == 0, check.Out + check.Error);
        var restic = await fx.Restic.RunAsync("check", "--read-data");
        Assert.True(restic.ExitCode == 0, restic.Out + restic.Error);
    }
}
