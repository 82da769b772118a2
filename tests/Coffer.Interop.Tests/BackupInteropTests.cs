using System.Text.Json;
using Coffer.Testing;

namespace Coffer.Interop.Tests;

/// <summary>restic restores and checks what Coffer backs up; both deduplicate against each other.</summary>
public sealed class BackupInteropTests
{
    private static JsonElement Summary(string jsonLines) =>
        jsonLines.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement)
            .Last(e => e.GetProperty("message_type").GetString() == "summary");

    [Fact]
    public async Task ResticRestoresCofferSnapshotBitIdentically()
    {
        using var fx = new InteropFixture();
        await fx.CofferOkAsync("init");
        var src = fx.Temp.Combine("src");
        EveryKindTree.Create(src, nonUtf8LinkTarget: false);
        var backup = await fx.CofferOkAsync("backup", src, "--host", "h", "--json");
        var summary = Summary(backup.Out);
        Assert.True(summary.GetProperty("files_new").GetInt64() > 10);
        Assert.Contains("no errors were found", (await fx.Restic.OkAsync("check", "--read-data")).Out, StringComparison.Ordinal);
        var target = fx.Temp.Combine("restored");
        await fx.Restic.OkAsync("restore", "latest", "--target", target);
        var expected = TreeManifest.Of(src);
        var actual = TreeManifest.Of(target + src);
        Assert.True(expected.Count > 15);
        Assert.Empty(TreeManifest.Diff(expected, actual));
    }

    [Fact]
    public async Task ResticAddsNoDataToWhatCofferStored()
    {
        using var fx = new InteropFixture();
        await fx.CofferOkAsync("init");
        var src = fx.Temp.Combine("src");
        EveryKindTree.Create(src, nonUtf8LinkTarget: false);
        await fx.CofferOkAsync("backup", src, "--host", "h");
        var restic = Summary((await fx.Restic.OkAsync("backup", src, "--host", "h", "--force", "--json")).Out);
        Assert.Equal(0, restic.GetProperty("data_blobs").GetInt64());
        // Trees too are byte-identical to restic's own encoding of the same directories: only the
        // directories above the target (/tmp changes while other tests run) may differ.
        Assert.InRange(restic.GetProperty("tree_blobs").GetInt64(), 0, 2);
        var snaps = JsonDocument.Parse((await fx.Restic.OkAsync("snapshots", "--json")).Out).RootElement.EnumerateArray()
            .Select(e => e.GetProperty("id").GetString()!).ToList();
        Assert.Equal(2, snaps.Count);
        var subtrees = new List<string>();
        foreach (var id in snaps)
        {
            var tree = (await fx.CofferOkAsync("cat", "tree", id + ":" + src)).Binary;
            Assert.NotEmpty(tree);
            subtrees.Add(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(tree)));
        }
        Assert.Equal(subtrees[0], subtrees[1]);
    }

    [Fact]
    public async Task CofferAddsNoDataToWhatResticStoredAndUsesItsSnapshotAsParent()
    {
        using var fx = new InteropFixture();
        await fx.Restic.OkAsync("init");
        var src = fx.Temp.Combine("src");
        EveryKindTree.Create(src, nonUtf8LinkTarget: false);
        await fx.Restic.OkAsync("backup", src, "--host", "h");
        var ours = Summary((await fx.CofferOkAsync("backup", src, "--host", "h", "--json")).Out);
        Assert.Equal(0, ours.GetProperty("data_blobs").GetInt64());
        Assert.Equal(0, ours.GetProperty("files_new").GetInt64());
        Assert.Equal(0, ours.GetProperty("files_changed").GetInt64());
        Assert.Contains("no errors were found", (await fx.Restic.OkAsync("check", "--read-data")).Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IncrementalBackupsRestoreEverySnapshot()
    {
        using var fx = new InteropFixture();
        await fx.CofferOkAsync("init");
        var src = fx.Temp.Combine("src");
        SourceTree.CreateMixed(src);
        var manifests = new List<SortedDictionary<string, string>>();
        for (var round = 0; round < 3; round++)
        {
            if (round > 0)
            {
                File.AppendAllText(Path.Combine(src, "hello.txt"), $"round {round}\n");
                File.WriteAllBytes(Path.Combine(src, $"new-{round}.bin"), SourceTree.Stream($"n{round}", 700_000));
                File.Delete(Path.Combine(src, "nested", "deeper", "deep.txt"));
                Directory.CreateDirectory(Path.Combine(src, "nested", "deeper"));
                File.WriteAllText(Path.Combine(src, "nested", "deeper", "deep.txt"), $"v{round}");
            }
            await fx.CofferOkAsync("backup", src, "--host", "h");
            manifests.Add(TreeManifest.Of(src));
        }
        var snaps = JsonDocument.Parse((await fx.Restic.OkAsync("snapshots", "--json")).Out).RootElement.EnumerateArray().ToList();
        Assert.Equal(3, snaps.Count);
        Assert.Equal(snaps[0].GetProperty("id").GetString(), snaps[1].GetProperty("parent").GetString());
        for (var i = 0; i < 3; i++)
        {
            var target = fx.Temp.Combine($"restore-{i}");
            await fx.Restic.OkAsync("restore", snaps[i].GetProperty("id").GetString()!, "--target", target);
            Assert.Empty(TreeManifest.Diff(manifests[i], TreeManifest.Of(target + src)));
        }
        Assert.Contains("no errors were found", (await fx.Restic.OkAsync("check", "--read-data")).Out, StringComparison.Ordinal);
    }
}
