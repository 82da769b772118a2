using Coffer.Testing;

namespace Coffer.Cli.Tests;

/// <summary>forget, tag and unlock on a copy of the fixture repository: errors, refusals and plain output.</summary>
public sealed class ForgetCommandTests : IDisposable
{
    private readonly string _repo = Fixtures.CopyRepository();

    public void Dispose() => Directory.Delete(_repo, true);

    private CliRunner Runner()
    {
        var runner = new CliRunner();
        runner.Environment["COFFER_REPOSITORY"] = _repo;
        runner.Environment["COFFER_PASSWORD"] = Fixtures.Password;
        return runner;
    }

    private int SnapshotCount => Directory.GetFiles(Path.Combine(_repo, "snapshots")).Length;

    private static void FatalLine(CliRunner.Result r, string expected)
    {
        Assert.Equal(1, r.ExitCode);
        var first = r.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";
        Assert.Contains(expected, first, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoPolicyRemovesNothingAndSaysSo()
    {
        var before = SnapshotCount;
        var r = await Runner().RunAsync("forget");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("no policy was specified, no snapshots will be removed", r.Out, StringComparison.Ordinal);
        Assert.Equal(before, SnapshotCount);
    }

    [Fact]
    public async Task PruneRunsAfterForgetAndBadPruneValuesStopBeforeAnythingIsRemoved()
    {
        var before = SnapshotCount;
        FatalLine(await Runner().RunAsync("forget", "--keep-last", "1", "--prune", "--max-unused", "100%"), "percentage for --max-unused must be below 100%");
        FatalLine(await Runner().RunAsync("forget", "--keep-last", "1", "--prune", "--repack-smaller-than", "64M"), "--repack-smaller-than exceeds repository packsize");
        Assert.Equal(before, SnapshotCount);
        var packs = Directory.GetFiles(Path.Combine(_repo, "data"), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        var r = await Runner().RunAsync("forget", "--keep-last", "1", "--prune", "--max-unused", "0");
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Contains("running prune", r.Out, StringComparison.Ordinal);
        Assert.Equal(1, SnapshotCount);
        Assert.NotEqual(packs, Directory.GetFiles(Path.Combine(_repo, "data"), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList());
        var check = await Runner().RunAsync("check", "--read-data");
        Assert.True(check.ExitCode == 0, check.Out + check.Error);
        var again = await Runner().RunAsync("prune", "--dry-run", "--json", "--max-unused", "0");
        Assert.True(again.ExitCode == 0, again.Error);
        Assert.Contains("\"remove_total\":0", again.Out, StringComparison.Ordinal);
        Assert.Contains("\"repack\":0", again.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--keep-last", "abc")]
    [InlineData("--keep-daily", "1.5")]
    public async Task UnparsableCountIsAnError(string flag, string value)
    {
        var r = await Runner().RunAsync("forget", flag, value);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains(value, r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadValuesAreOneLineErrors()
    {
        FatalLine(await Runner().RunAsync("forget", "--keep-within", "3x"), "invalid argument \"3x\" for \"--keep-within\" flag");
        FatalLine(await Runner().RunAsync("forget", "--keep-weekly=-2"), "--keep-weekly");
        FatalLine(await Runner().RunAsync("forget", "--keep-last", "1", "--group-by", "host,user"), "unknown grouping option: 'user'");
        FatalLine(await Runner().RunAsync("tag"), "nothing to do!");
        FatalLine(await Runner().RunAsync("tag", "--set", "a", "--add", "b"), "--set and --add/--remove cannot be given at the same time");
        FatalLine(await Runner().RunAsync("forget", "--no-lock", "--keep-last", "1"), "--no-lock is only applicable in combination with --dry-run");
    }

    [Fact]
    public async Task APolicyThatEmptiesAGroupIsRefusedWithoutForce()
    {
        var before = SnapshotCount;
        var r = await Runner().RunAsync("forget", "--keep-tag", "no-such-tag");
        FatalLine(r, "refusing to remove all");
        Assert.Contains("host [", r.Error, StringComparison.Ordinal);
        Assert.Equal(before, SnapshotCount);
        var dry = await Runner().RunAsync("forget", "--keep-tag", "no-such-tag", "--force", "--dry-run");
        Assert.Equal(0, dry.ExitCode);
        Assert.Contains("Would have removed the following snapshots:", dry.Out, StringComparison.Ordinal);
        Assert.Equal(before, SnapshotCount);
    }

    [Fact]
    public async Task MinusOneKeepsEverythingAndDryRunPrintsTables()
    {
        var before = SnapshotCount;
        var r = await Runner().RunAsync("forget", "--keep-last=-1", "--dry-run");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("Applying Policy: keep all latest snapshots", r.Out, StringComparison.Ordinal);
        Assert.Contains($"keep {before} snapshots:", r.Out.Replace("snapshots for", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("Reasons", r.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("remove ", r.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExplicitIdIsRemovedAndTagAndUnlockReport()
    {
        var before = SnapshotCount;
        var id = Path.GetFileName(Directory.GetFiles(Path.Combine(_repo, "snapshots"))[0]);
        var tag = await Runner().RunAsync("tag", "--add", "x", id[..8]);
        Assert.Equal(0, tag.ExitCode);
        Assert.Equal("modified tags on 1 snapshots\n", tag.Out);
        Assert.Equal(before, SnapshotCount);
        Assert.False(File.Exists(Path.Combine(_repo, "snapshots", id)));
        var again = await Runner().RunAsync("tag", "--add", "x", "--tag", "x");
        Assert.Equal("no snapshots were modified\n", again.Out);

        var newId = Path.GetFileName(Directory.GetFiles(Path.Combine(_repo, "snapshots")).Except(Directory.GetFiles(Path.Combine(Fixtures.Path2("repo"), "snapshots")).Select(f => Path.Combine(_repo, "snapshots", Path.GetFileName(f)))).Single());
        var forget = await Runner().RunAsync("forget", newId);
        Assert.Equal(0, forget.ExitCode);
        Assert.Contains("1 / 1 files deleted", forget.Out, StringComparison.Ordinal);
        Assert.Equal(before - 1, SnapshotCount);

        var unlock = await Runner().RunAsync("unlock", "--remove-all");
        Assert.Equal(0, unlock.ExitCode);
        Assert.Equal("successfully removed locks\n", unlock.Out);
    }
}
