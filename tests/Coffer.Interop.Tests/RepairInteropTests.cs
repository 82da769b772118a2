using Coffer.Testing;

namespace Coffer.Interop.Tests;

/// <summary>
/// <c>coffer repair index</c> and <c>coffer repair snapshots</c> on repositories restic 0.14 made and then damaged:
/// afterwards restic's own <c>check --read-data</c> passes and restic restores what is left.
/// </summary>
public sealed class RepairInteropTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<string> BackUpTwiceAsync(InteropFixture fx)
    {
        await fx.Restic.OkAsync("init");
        var src = fx.Temp.Combine("src");
        EveryKindTree.Create(src, nonUtf8LinkTarget: false);
        await fx.Restic.OkAsync("backup", src, "--host", "h");
        await File.WriteAllBytesAsync(Path.Combine(src, "more.bin"), SourceTree.Stream("more", 3 * 1024 * 1024), Ct);
        await fx.Restic.OkAsync("backup", src, "--host", "h");
        return src;
    }

    private static string[] Files(InteropFixture fx, string folder) =>
        Directory.GetFiles(Path.Combine(fx.RepoPath, folder), "*", SearchOption.AllDirectories);

    [Fact]
    public async Task LostIndexFileIsRebuiltAndResticChecksAndRestores()
    {
        using var fx = new InteropFixture();
        var src = await BackUpTwiceAsync(fx);
        var indexes = Files(fx, "index");
        Assert.Equal(2, indexes.Length);
        File.Delete(indexes.OrderBy(File.GetLastWriteTimeUtc).Last());
        Assert.NotEqual(0, (await fx.Restic.RunAsync("check")).ExitCode);

        var r = await fx.CofferOkAsync("repair", "index");
        Assert.Equal("loading indexes...\ngetting pack files to read...\nreading pack files\nrebuilding index\ndeleting obsolete index files\ndone\n", r.Out);
        Assert.Contains("adding pack file to index ", r.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(Files(fx, "index"), indexes.Contains);

        var check = await fx.Restic.OkAsync("check", "--read-data");
        Assert.Contains("no errors were found", check.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("additional files were found", check.Out, StringComparison.Ordinal);
        var target = fx.Temp.Combine("restored");
        await fx.Restic.OkAsync("restore", "latest", "--target", target);
        var expected = TreeManifest.Of(src);
        Assert.True(expected.Count > 15);
        Assert.Empty(TreeManifest.Diff(expected, TreeManifest.Of(target + src)));
        await fx.CofferOkAsync("check", "--read-data");

        // The hidden alias, and --quiet: nothing to do, nothing printed.
        var again = await fx.CofferOkAsync("rebuild-index", "--quiet");
        Assert.Equal("", again.Out);
        Assert.Equal("", again.Error);
    }

    [Fact]
    public async Task SnapshotsMissingAPackAreRepairedForRestic()
    {
        using var fx = new InteropFixture();
        var src = await BackUpTwiceAsync(fx);
        // The largest pack holds the data of the first backup, which both snapshots use.
        File.Delete(Files(fx, "data").OrderBy(f => new FileInfo(f).Length).Last());
        await fx.CofferOkAsync("repair", "index");
        Assert.NotEqual(0, (await fx.Restic.RunAsync("check")).ExitCode);

        var dry = await fx.CofferOkAsync("repair", "snapshots", "--dry-run");
        Assert.True(dry.Out.Contains("  file \"" + src + "/big.bin\": removed missing content\n", StringComparison.Ordinal), dry.Out);
        Assert.EndsWith("\nwould save new snapshot\n\nwould modify 2 snapshots\n", dry.Out, StringComparison.Ordinal);
        Assert.NotEqual(0, (await fx.Restic.RunAsync("check")).ExitCode);

        var r = await fx.CofferOkAsync("repair", "snapshots", "--forget");
        Assert.Contains("saved new snapshot ", r.Out, StringComparison.Ordinal);
        Assert.Contains("removed old snapshot ", r.Out, StringComparison.Ordinal);
        Assert.EndsWith("\nmodified 2 snapshots\n", r.Out, StringComparison.Ordinal);
        Assert.Contains("no errors were found", (await fx.Restic.OkAsync("check", "--read-data")).Out, StringComparison.Ordinal);

        // restic restores every name; files that lost content come back shorter, the rest unchanged.
        var target = fx.Temp.Combine("restored");
        await fx.Restic.OkAsync("restore", "latest", "--target", target);
        var restored = target + src;
        string[] Names(string root) => [.. Directory.GetFileSystemEntries(root, "*", SearchOption.AllDirectories).Select(p => Path.GetRelativePath(root, p)).Order(StringComparer.Ordinal)];
        Assert.Equal(Names(src), Names(restored));
        Assert.True(new FileInfo(Path.Combine(restored, "big.bin")).Length < new FileInfo(Path.Combine(src, "big.bin")).Length);
        Assert.Equal(File.ReadAllBytes(Path.Combine(src, "more.bin")), File.ReadAllBytes(Path.Combine(restored, "more.bin")));

        var second = await fx.CofferOkAsync("repair", "snapshots");
        Assert.EndsWith("\nno snapshots were modified\n", second.Out, StringComparison.Ordinal);
    }
}
