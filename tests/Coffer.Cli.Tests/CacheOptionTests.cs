using Coffer.Testing;

namespace Coffer.Cli.Tests;

/// <summary>Where the local index cache goes: <c>--cache-dir</c>, $COFFER_CACHE_DIR, $XDG_CACHE_HOME/coffer; none with <c>--no-cache</c>.</summary>
public sealed class CacheOptionTests : IDisposable
{
    private readonly TempDirectory _temp = new("coffer-cache-cli-");

    public void Dispose() => _temp.Dispose();

    private CliRunner Runner()
    {
        var runner = new CliRunner();
        runner.Environment["COFFER_REPOSITORY"] = Fixtures.Path2("repo");
        runner.Environment["COFFER_PASSWORD"] = Fixtures.Password;
        runner.Environment["XDG_CACHE_HOME"] = _temp.Combine("xdg");
        return runner;
    }

    private static string[] CacheFiles(string directory) =>
        Directory.Exists(directory) ? Directory.GetFiles(directory, "index", SearchOption.AllDirectories) : [];

    [Fact]
    public async Task IndexIsCachedUnderTheCacheHomeAndGivesTheSameAnswers()
    {
        var first = await Runner().RunAsync("ls", "latest", "--no-lock");
        Assert.True(first.ExitCode == 0, first.Error);
        Assert.Single(CacheFiles(_temp.Combine("xdg", "coffer")));
        Assert.True(File.Exists(_temp.Combine("xdg", "coffer", "CACHEDIR.TAG")));
        var second = await Runner().RunAsync("ls", "latest", "--no-lock");
        Assert.Equal(0, second.ExitCode);
        Assert.Equal(first.Out, second.Out);
    }

    [Fact]
    public async Task NoCacheWritesNothing()
    {
        var r = await Runner().RunAsync("ls", "latest", "--no-lock", "--no-cache");
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.False(Directory.Exists(_temp.Combine("xdg")));
    }

    [Fact]
    public async Task CacheDirOptionAndVariableChooseTheDirectory()
    {
        var r = await Runner().RunAsync("ls", "latest", "--no-lock", "--cache-dir", _temp.Combine("option"));
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Single(CacheFiles(_temp.Combine("option")));

        var runner = Runner();
        runner.Environment["COFFER_CACHE_DIR"] = _temp.Combine("variable");
        r = await runner.RunAsync("ls", "latest", "--no-lock");
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Single(CacheFiles(_temp.Combine("variable")));
        Assert.Empty(CacheFiles(_temp.Combine("xdg")));
    }
}
