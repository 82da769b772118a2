using Coffer.Cli.Tests;
using Coffer.Testing;

namespace Coffer.Interop.Tests;

/// <summary>A scratch folder with a password file, a restic runner and a Coffer runner pointed at one repository.</summary>
internal sealed class InteropFixture : IDisposable
{
    public InteropFixture(string password = "interop-password")
    {
        Assert.SkipUnless(ResticRunner.IsAvailable, "restic is not installed; ./test.sh installs it");
        Password = password;
        PasswordFile = Temp.Combine("password");
        File.WriteAllText(PasswordFile, password + "\n");
        RepoPath = Temp.Combine("repo");
        Restic.Environment["RESTIC_REPOSITORY"] = RepoPath;
        Restic.Environment["RESTIC_PASSWORD_FILE"] = PasswordFile;
        Coffer.Environment["COFFER_REPOSITORY"] = RepoPath;
        Coffer.Environment["COFFER_PASSWORD_FILE"] = PasswordFile;
    }

    public TempDirectory Temp { get; } = new("coffer-interop-");
    public string Password { get; }
    public string PasswordFile { get; }
    public string RepoPath { get; }
    public ResticRunner Restic { get; } = new();
    public CliRunner Coffer { get; } = new() { TimeZone = TimeZoneInfo.Utc };

    public async Task<CliRunner.Result> CofferOkAsync(params string[] args)
    {
        var r = await Coffer.RunAsync(args);
        Assert.True(r.ExitCode == 0, $"coffer {string.Join(' ', args)} exited {r.ExitCode}: {r.Error}");
        return r;
    }

    public string WritePassword(string name, string password)
    {
        var path = Temp.Combine(name);
        File.WriteAllText(path, password + "\n");
        return path;
    }

    public void Dispose() => Temp.Dispose();
}
