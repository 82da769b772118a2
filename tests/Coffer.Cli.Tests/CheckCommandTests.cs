using Coffer.Testing;

namespace Coffer.Cli.Tests;

/// <summary><c>coffer check</c>: the restic fixture passes (read in place), output and exit codes, damage named.</summary>
public sealed class CheckCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new("coffer-check-cli-");

    public void Dispose() => _temp.Dispose();

    public static TheoryData<string> Repositories => new() { "repo", "repo-nocompress" };

    private static CliRunner Runner(string repository, string password)
    {
        var runner = new CliRunner();
        runner.Environment["COFFER_REPOSITORY"] = repository;
        runner.Environment["COFFER_PASSWORD"] = password;
        return runner;
    }

    [Theory]
    [MemberData(nameof(Repositories))]
    public async Task ResticFixturePassesWithReadData(string repo)
    {
        var r = await Runner(Fixtures.Path2(repo), Fixtures.Password).RunAsync("check", "--read-data", "--no-lock");
        Assert.True(r.ExitCode == 0, r.Error + r.Out);
        Assert.Equal(["load indexes", "check all packs", "check snapshots, trees and blobs", "read all data", "no errors were found"], r.Lines);
        Assert.Equal("", r.Error);
    }

    [Fact]
    public async Task SubsetLineNamesTheGroup()
    {
        var r = await Runner(Fixtures.Path2("repo"), Fixtures.Password).RunAsync("check", "--read-data-subset", "1/3", "--no-lock");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains(r.Lines, l => l.StartsWith("read group #1 of ", StringComparison.Ordinal) && l.EndsWith(" packs in 3 groups)", StringComparison.Ordinal));
        var quiet = await Runner(Fixtures.Path2("repo"), Fixtures.Password).RunAsync("check", "--read-data-subset", "5%", "--no-lock", "--quiet");
        Assert.Equal(0, quiet.ExitCode);
        Assert.Equal("", quiet.Out);
    }

    [Fact]
    public async Task ConflictingAndInvalidOptionsAreRefused()
    {
        var both = await Runner(Fixtures.Path2("repo"), Fixtures.Password).RunAsync("check", "--read-data", "--read-data-subset", "1/2", "--no-lock");
        Assert.Equal(1, both.ExitCode);
        Assert.Contains("cannot be used together", both.Error, StringComparison.Ordinal);
        var bad = await Runner(Fixtures.Path2("repo"), Fixtures.Password).RunAsync("check", "--read-data-subset", "3/2", "--no-lock");
        Assert.Equal(1, bad.ExitCode);
        Assert.StartsWith("Fatal: invalid data subset 3/2", bad.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DamagedCopyOfTheFixtureFailsNamingThePack()
    {
        var copy = Fixtures.CopyRepository();
        try
        {
            var pack = Directory.GetFiles(Path.Combine(copy, "data"), "*", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal).First();
            File.Delete(pack);
            var r = await Runner(copy, Fixtures.Password).RunAsync("check");
            Assert.Equal(1, r.ExitCode);
            Assert.Contains($"pack {Path.GetFileName(pack)}: not found", r.Error, StringComparison.Ordinal);
            Assert.EndsWith("Fatal: repository contains errors\n", r.Error, StringComparison.Ordinal);
            Assert.DoesNotContain("no errors were found", r.Out, StringComparison.Ordinal);
            Assert.Empty(Directory.GetFiles(Path.Combine(copy, "locks")));
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }
}
