using Coffer.Testing;

namespace Coffer.Interop.Tests;

/// <summary>
/// <c>coffer check</c> against restic: a repository restic 0.14 made passes <c>--read-data</c>; a repository Coffer
/// made passes both checkers, and after damage both fail.
/// </summary>
public sealed class CheckInteropTests
{
    private static void Damage(string repo, string kind)
    {
        var packs = Directory.GetFiles(Path.Combine(repo, "data"), "*", SearchOption.AllDirectories).OrderBy(f => new FileInfo(f).Length).ToList();
        var largest = packs[^1];
        File.SetUnixFileMode(largest, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        switch (kind)
        {
            case "missing-pack":
                File.Delete(largest);
                break;
            case "truncated-pack":
                var bytes = File.ReadAllBytes(largest);
                File.WriteAllBytes(largest, bytes[..(bytes.Length / 2)]);
                break;
            default:
                var data = File.ReadAllBytes(largest);
                data[100] ^= 0x10;
                File.WriteAllBytes(largest, data);
                break;
        }
    }

    [Fact]
    public async Task ResticRepositoryPassesReadData()
    {
        using var fx = new InteropFixture();
        await fx.Restic.OkAsync("init");
        var src = fx.Temp.Combine("src");
        EveryKindTree.Create(src, nonUtf8LinkTarget: false);
        await fx.Restic.OkAsync("backup", src, "--host", "h");
        await File.WriteAllBytesAsync(Path.Combine(src, "more.bin"), SourceTree.Stream("more", 5 * 1024 * 1024), TestContext.Current.CancellationToken);
        await fx.Restic.OkAsync("backup", src, "--host", "h");
        var r = await fx.CofferOkAsync("check", "--read-data");
        Assert.EndsWith("no errors were found\n", r.Out, StringComparison.Ordinal);
        Assert.Equal("", r.Error);
    }

    [Theory]
    [InlineData("missing-pack")]
    [InlineData("truncated-pack")]
    [InlineData("flipped-byte")]
    public async Task DamageToACofferRepositoryFailsBothCheckers(string kind)
    {
        using var fx = new InteropFixture();
        await fx.CofferOkAsync("init");
        var src = fx.Temp.Combine("src");
        EveryKindTree.Create(src, nonUtf8LinkTarget: false);
        await File.WriteAllBytesAsync(Path.Combine(src, "big.bin"), SourceTree.Stream("big", 3 * 1024 * 1024), TestContext.Current.CancellationToken);
        await fx.CofferOkAsync("backup", src, "--host", "h");
        await fx.Restic.OkAsync("check", "--read-data");
        await fx.CofferOkAsync("check", "--read-data");

        Damage(fx.RepoPath, kind);
        var coffer = await fx.Coffer.RunAsync("check", "--read-data");
        var restic = await fx.Restic.RunAsync("check", "--read-data");
        Assert.True(coffer.ExitCode == 1, coffer.Out + coffer.Error);
        Assert.Contains("Fatal: repository contains errors", coffer.Error, StringComparison.Ordinal);
        Assert.True(restic.ExitCode != 0, restic.Out + restic.Error);
    }
}
