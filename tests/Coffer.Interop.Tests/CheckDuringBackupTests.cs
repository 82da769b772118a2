using Coffer.Testing;

namespace Coffer.Interop.Tests;

/// <summary>
/// <c>coffer check</c> runs beside a running <c>coffer backup</c> (both take shared locks): packs the backup has
/// stored but not yet indexed are hints, never errors, and the repository checks clean afterwards.
/// </summary>
public sealed class CheckDuringBackupTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CheckBesideARunningBackupFindsNoErrors()
    {
        using var fx = new InteropFixture();
        await fx.CofferOkAsync("init");
        var src = fx.Temp.Combine("src");
        Directory.CreateDirectory(src);
        await File.WriteAllTextAsync(Path.Combine(src, "first"), "first", Ct);
        await fx.CofferOkAsync("backup", src);
        for (var i = 0; i < 120; i++)
        {
            await File.WriteAllBytesAsync(Path.Combine(src, $"f{i}.bin"), SourceTree.Stream($"during{i}", 400_000), Ct);
        }

        var options = new CofferProcess.Options();
        options.Environment["COFFER_REPOSITORY"] = fx.RepoPath;
        options.Environment["COFFER_PASSWORD_FILE"] = fx.PasswordFile;
        options.Environment["HOME"] = fx.Temp.Path;
        // Small packs, so packs land while the check runs.
        using var backup = CofferProcess.Start(options, "backup", "--pack-size", "4", "--compression", "max", src);
        var checks = 0;
        var data = Path.Combine(fx.RepoPath, "data");
        while (!backup.HasExited && checks < 5)
        {
            if (Directory.GetFiles(data, "*", SearchOption.AllDirectories).Length < 3)
            {
                await Task.Delay(20, Ct);
                continue;
            }
            var check = await fx.Coffer.RunAsync("check");
            Assert.True(check.ExitCode == 0, $"check beside a backup: {check.Out}\n{check.Error}");
            checks++;
        }
        var result = await backup.WaitAsync(TimeSpan.FromMinutes(3));
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.True(checks > 0, "the backup finished before a check could run beside it");
        await fx.CofferOkAsync("check", "--read-data");
        var restic = await fx.Restic.RunAsync("check");
        Assert.True(restic.ExitCode == 0, restic.Out + restic.Error);
    }
}
