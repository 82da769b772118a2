using Coffer.Testing;

namespace Coffer.Cli.Tests;

/// <summary>Bad input gives one clear line and restic's exit code.</summary>
public sealed class ErrorTests
{
    private static CliRunner Runner(string repo, string? password = Fixtures.Password)
    {
        var runner = new CliRunner();
        runner.Environment["COFFER_REPOSITORY"] = repo;
        if (password is not null)
        {
            runner.Environment["COFFER_PASSWORD"] = password;
        }
        return runner;
    }

    private static void OneLine(CliRunner.Result r, string expected)
    {
        var lines = r.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(lines);
        Assert.StartsWith("Fatal: ", lines[0], StringComparison.Ordinal);
        Assert.Contains(expected, lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongPasswordIsExitCode12()
    {
        var r = await Runner(Fixtures.Path2("repo"), "not-the-password").RunAsync("snapshots", "--no-lock");
        Assert.Equal(12, r.ExitCode);
        OneLine(r, "wrong password");
    }

    [Fact]
    public async Task MissingRepositoryIsExitCode10()
    {
        using var temp = new TempDirectory();
        var r = await Runner(temp.Combine("nothing-here")).RunAsync("snapshots");
        Assert.Equal(10, r.ExitCode);
        OneLine(r, "repository does not exist");
    }

    [Fact]
    public async Task NoPasswordWithoutTerminalIsAClearError()
    {
        var r = await Runner(Fixtures.Path2("repo"), password: null).RunAsync("snapshots", "--no-lock");
        Assert.Equal(1, r.ExitCode);
        OneLine(r, "no password given");
    }

    [Fact]
    public async Task NoRepositoryGiven()
    {
        var r = await new CliRunner().RunAsync("snapshots");
        Assert.Equal(1, r.ExitCode);
        OneLine(r, "specify repository location");
    }

    [Fact]
    public async Task PasswordFileAndCommandAreExclusive()
    {
        var r = await Runner(Fixtures.Path2("repo")).RunAsync("snapshots", "--no-lock", "--password-file", "/dev/null", "--password-command", "echo x");
        Assert.Equal(1, r.ExitCode);
        OneLine(r, "mutually exclusive");
    }

    [Fact]
    public async Task PasswordCommandAndFileWork()
    {
        var viaCommand = await Runner(Fixtures.Path2("repo"), null).RunAsync("snapshots", "--no-lock", "--password-command", $"cat {Fixtures.Path2("password.txt")}");
        Assert.Equal(0, viaCommand.ExitCode);
        var runner = Runner(Fixtures.Path2("repo"), null);
        runner.Environment["RESTIC_PASSWORD_FILE"] = Fixtures.Path2("password.txt");
        Assert.Equal(0, (await runner.RunAsync("snapshots", "--no-lock")).ExitCode);
    }

    [Fact]
    public async Task TamperedIndexIsNamed()
    {
        var copy = Fixtures.CopyRepository();
        try
        {
            var index = Directory.GetFiles(Path.Combine(copy, "index"))[0];
            var bytes = await File.ReadAllBytesAsync(index);
            bytes[bytes.Length / 2] ^= 0x40;
            await File.WriteAllBytesAsync(index, bytes);
            var r = await Runner(copy).RunAsync("list", "blobs");
            Assert.Equal(1, r.ExitCode);
            OneLine(r, "index/" + Path.GetFileName(index));
            // The failed command released its lock.
            Assert.Empty(Directory.GetFiles(Path.Combine(copy, "locks")));
        }
        finally
        {
            Directory.Delete(copy, true);
        }
    }

    [Fact]
    public async Task UnknownFormatVersionIsRefused()
    {
        using var temp = new TempDirectory();
        var runner = Runner(temp.Combine("repo"), "pw");
        Assert.Equal(0, (await runner.RunAsync("init")).ExitCode);
        var backend = Coffer.Backends.Local.LocalBackend.Open(temp.Combine("repo"));
        var repo = await Coffer.Core.Repository.Repository.OpenAsync(backend, "pw"u8.ToArray(), CancellationToken.None);
        var config = temp.Combine("repo", "config");
        File.SetUnixFileMode(config, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await File.WriteAllBytesAsync(config, repo.Key.Seal("{\"version\":3,\"id\":\"aa\",\"chunker_polynomial\":\"31c81e17642089\"}"u8));
        var r = await runner.RunAsync("snapshots");
        Assert.Equal(1, r.ExitCode);
        OneLine(r, "unsupported repository version 3");
    }

    [Fact]
    public async Task VerboseAddsStackTrace()
    {
        var r = await Runner(Fixtures.Path2("repo"), "wrong").RunAsync("snapshots", "--no-lock", "--verbose");
        Assert.Equal(12, r.ExitCode);
        Assert.Contains("   at ", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownCommandIsAUsageError()
    {
        var r = await new CliRunner().RunAsync("frobnicate");
        Assert.Equal(1, r.ExitCode);
        Assert.NotEmpty(r.Error);
    }
}
