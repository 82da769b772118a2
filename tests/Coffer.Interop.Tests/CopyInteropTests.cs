using System.Text.Json;
using Coffer.Testing;

namespace Coffer.Interop.Tests;

/// <summary>
/// <c>coffer copy</c> against restic 0.14: snapshots of a restic-made repository copied into a Coffer-initialised
/// one pass restic's <c>check --read-data</c> and restore identically with restic, and restic's own <c>copy</c>
/// recognises them as copied (and the other way round).
/// </summary>
public sealed class CopyInteropTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record Destination(string Path, string PasswordFile)
    {
        public string[] Restic(params string[] args) => ["-r", Path, "--password-file", PasswordFile, .. args];

        public string[] Coffer(InteropFixture fx, params string[] args) =>
            ["-r", Path, "--password-file", PasswordFile, .. args, "--from-repo", fx.RepoPath, "--from-password-file", fx.PasswordFile];
    }

    private static Destination NewDestination(InteropFixture fx) => new(fx.Temp.Combine("destination"), fx.WritePassword("destination-password", "another password"));

    private static async Task<List<JsonElement>> SnapshotsAsync(InteropFixture fx, Destination? destination = null) =>
        JsonDocument.Parse((await fx.Restic.OkAsync(destination is null ? ["snapshots", "--json"] : destination.Restic("snapshots", "--json"))).Out)
            .RootElement.EnumerateArray().ToList();

    private static async Task<Dictionary<string, SortedDictionary<string, string>>> ResticSourceAsync(InteropFixture fx, string src)
    {
        await fx.Restic.OkAsync("init");
        EveryKindTree.Create(src, nonUtf8LinkTarget: false);
        await File.WriteAllBytesAsync(Path.Combine(src, "big.bin"), SourceTree.Stream("copy-interop", 6 * 1024 * 1024), Ct);
        var manifests = new Dictionary<string, SortedDictionary<string, string>>(StringComparer.Ordinal);
        await fx.Restic.OkAsync("backup", src, "--host", "h1", "--tag", "first");
        manifests[(await SnapshotsAsync(fx))[^1].GetProperty("id").GetString()!] = TreeManifest.Of(src);
        await File.WriteAllBytesAsync(Path.Combine(src, "more.bin"), SourceTree.Stream("copy-interop-more", 3 * 1024 * 1024), Ct);
        await File.WriteAllTextAsync(Path.Combine(src, "big.bin"), "now small", Ct);
        await fx.Restic.OkAsync("backup", src, "--host", "h2");
        manifests[(await SnapshotsAsync(fx))[^1].GetProperty("id").GetString()!] = TreeManifest.Of(src);
        return manifests;
    }

    private static async Task AssertResticRestoresAsync(InteropFixture fx, Destination destination, string id, string src, SortedDictionary<string, string> expected)
    {
        var target = fx.Temp.Combine("restore-" + id[..8]);
        await fx.Restic.OkAsync(destination.Restic("restore", id, "--target", target));
        var diff = TreeManifest.Diff(expected, TreeManifest.Of(target + src));
        Assert.True(diff.Count == 0, $"copy {id} does not restore as its source:\n{string.Join('\n', diff.Take(20))}");
    }

    [Fact]
    public async Task ResticSnapshotsCopiedIntoACofferRepositoryPassResticsCheckAndRestore()
    {
        using var fx = new InteropFixture();
        var src = fx.Temp.Combine("src");
        var manifests = await ResticSourceAsync(fx, src);
        var destination = NewDestination(fx);
        await fx.CofferOkAsync("-r", destination.Path, "--password-file", destination.PasswordFile, "init");

        var copy = await fx.CofferOkAsync(destination.Coffer(fx, "copy"));
        Assert.Equal(2, copy.Out.Split('\n').Count(l => l.Contains(" saved, copied from source snapshot ", StringComparison.Ordinal)));
        Assert.Contains("  copy started, this may take a while...", copy.Out, StringComparison.Ordinal);
        Assert.Contains("different chunker parameters", copy.Error, StringComparison.Ordinal);

        var check = await fx.Restic.RunAsync(destination.Restic("check", "--read-data"));
        Assert.True(check.ExitCode == 0, $"restic check: {check.Out}\n{check.Error}");
        var copies = await SnapshotsAsync(fx, destination);
        Assert.Equal(manifests.Keys.Order(StringComparer.Ordinal), copies.Select(c => c.GetProperty("original").GetString()!).Order(StringComparer.Ordinal));
        foreach (var c in copies)
        {
            Assert.False(c.TryGetProperty("parent", out _));
            await AssertResticRestoresAsync(fx, destination, c.GetProperty("id").GetString()!, src, manifests[c.GetProperty("original").GetString()!]);
        }

        // A second run, Coffer's or restic's, finds both copied.
        var again = await fx.CofferOkAsync(destination.Coffer(fx, "copy"));
        Assert.Equal(2, again.Out.Split('\n').Count(l => l.StartsWith("skipping snapshot ", StringComparison.Ordinal)));
        var restic = await fx.Restic.OkAsync(destination.Restic("copy", "--from-repo", fx.RepoPath, "--from-password-file", fx.PasswordFile));
        Assert.Equal(2, restic.Out.Split('\n').Count(l => l.StartsWith("skipping source snapshot ", StringComparison.Ordinal)));
        Assert.Equal(2, (await SnapshotsAsync(fx, destination)).Count);
    }

    [Fact]
    public async Task WithCopiedChunkerParametersACofferCopyAndResticCopiesAreRecognisedBothWays()
    {
        using var fx = new InteropFixture();
        var src = fx.Temp.Combine("src");
        var manifests = await ResticSourceAsync(fx, src);
        var destination = NewDestination(fx);
        await fx.CofferOkAsync(destination.Coffer(fx, "init", "--copy-chunker-params"));
        var sourceConfig = JsonDocument.Parse((await fx.Restic.OkAsync("cat", "config")).Out).RootElement;
        var destinationConfig = JsonDocument.Parse((await fx.Restic.OkAsync(destination.Restic("cat", "config"))).Out).RootElement;
        Assert.Equal(sourceConfig.GetProperty("chunker_polynomial").GetString(), destinationConfig.GetProperty("chunker_polynomial").GetString());

        // restic copies the newest snapshot, Coffer then copies only the older one, with no chunker warning.
        var newest = manifests.Keys.Last();
        await fx.Restic.OkAsync(destination.Restic("copy", newest, "--from-repo", fx.RepoPath, "--from-password-file", fx.PasswordFile));
        var copy = await fx.CofferOkAsync(destination.Coffer(fx, "copy", "--json"));
        Assert.Equal("", copy.Error);
        var lines = copy.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(["snapshot_skipped", "snapshot_copied", "summary"], lines.Select(l => l.GetProperty("message_type").GetString()));
        Assert.Equal(newest, lines[0].GetProperty("source_snapshot").GetString());
        Assert.Equal(1, lines[2].GetProperty("snapshots_copied").GetInt32());
        var check = await fx.Restic.RunAsync(destination.Restic("check", "--read-data"));
        Assert.True(check.ExitCode == 0, $"restic check: {check.Out}\n{check.Error}");
        foreach (var c in await SnapshotsAsync(fx, destination))
        {
            await AssertResticRestoresAsync(fx, destination, c.GetProperty("id").GetString()!, src, manifests[c.GetProperty("original").GetString()!]);
        }
    }
}
