using System.Text.Json;
using Coffer.Testing;

namespace Coffer.Interop.Tests;

/// <summary>Coffer and the real restic binary read each other's repositories and keys.</summary>
public sealed class RepositoryInteropTests
{
    [Theory]
    [InlineData("2")]
    [InlineData("1")]
    public async Task ResticChecksARepositoryCofferCreated(string version)
    {
        using var fx = new InteropFixture();
        await fx.CofferOkAsync("init", "--repository-version", version);
        var check = await fx.Restic.OkAsync("check");
        Assert.Contains("no errors were found", check.Out, StringComparison.Ordinal);
        Assert.Equal("[]", (await fx.Restic.OkAsync("snapshots", "--json")).Out.Trim());
        var config = JsonDocument.Parse((await fx.Restic.OkAsync("cat", "config")).Out).RootElement;
        Assert.Equal(int.Parse(version, System.Globalization.CultureInfo.InvariantCulture), config.GetProperty("version").GetInt32());
        // restic can back up into it, and Coffer reads what restic wrote.
        var src = fx.Temp.Combine("src");
        SourceTree.CreateMixed(src);
        await fx.Restic.OkAsync("backup", src, "--host", "interop");
        var snaps = await fx.CofferOkAsync("snapshots", "--json");
        Assert.Equal((await fx.Restic.OkAsync("snapshots", "--json")).Out.Trim(), snaps.Out.Trim());
    }

    [Fact]
    public async Task KeysAddedByEitherOpenInTheOther()
    {
        using var fx = new InteropFixture();
        await fx.CofferOkAsync("init");
        var second = fx.WritePassword("second", "second-password");
        var added = await fx.CofferOkAsync("key", "add", "--new-password-file", second, "--host", "added-by-coffer");
        Assert.Contains("saved new key", added.Out, StringComparison.Ordinal);

        var withSecond = new ResticRunner();
        withSecond.Environment["RESTIC_REPOSITORY"] = fx.RepoPath;
        withSecond.Environment["RESTIC_PASSWORD"] = "second-password";
        var keys = JsonDocument.Parse((await withSecond.OkAsync("key", "list", "--json")).Out).RootElement;
        Assert.Equal(2, keys.GetArrayLength());
        Assert.Contains(keys.EnumerateArray(), k => k.GetProperty("hostName").GetString() == "added-by-coffer" && k.GetProperty("current").GetBoolean());

        var third = fx.WritePassword("third", "third-password");
        await fx.Restic.OkAsync("key", "add", "--new-password-file", third);
        fx.Coffer.Environment["COFFER_PASSWORD_FILE"] = third;
        var list = await fx.CofferOkAsync("key", "list", "--json");
        Assert.Equal(3, JsonDocument.Parse(list.Out).RootElement.GetArrayLength());

        // passwd replaces the current key; the old password stops working in restic too.
        var fourth = fx.WritePassword("fourth", "fourth-password");
        await fx.CofferOkAsync("key", "passwd", "--new-password-file", fourth);
        var withThird = new ResticRunner();
        withThird.Environment["RESTIC_REPOSITORY"] = fx.RepoPath;
        withThird.Environment["RESTIC_PASSWORD"] = "third-password";
        Assert.NotEqual(0, (await withThird.RunAsync("snapshots")).ExitCode);
        withThird.Environment["RESTIC_PASSWORD"] = "fourth-password";
        await withThird.OkAsync("snapshots");
        Assert.Contains("no errors were found", (await withThird.OkAsync("check")).Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeyRemoveRefusesTheCurrentKeyAndRemovesAnother()
    {
        using var fx = new InteropFixture();
        await fx.CofferOkAsync("init");
        await fx.Restic.OkAsync("key", "add", "--new-password-file", fx.WritePassword("other", "other-password"));
        var keys = JsonDocument.Parse((await fx.CofferOkAsync("key", "list", "--json")).Out).RootElement.EnumerateArray().ToList();
        var current = keys.Single(k => k.GetProperty("current").GetBoolean()).GetProperty("id").GetString()!;
        var other = keys.Single(k => !k.GetProperty("current").GetBoolean()).GetProperty("id").GetString()!;
        var refused = await fx.Coffer.RunAsync("key", "remove", current);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("currently used", refused.Error, StringComparison.Ordinal);
        await fx.CofferOkAsync("key", "remove", other);
        Assert.Single(JsonDocument.Parse((await fx.Restic.OkAsync("key", "list", "--json")).Out).RootElement.EnumerateArray());
    }

    [Theory]
    [InlineData("2")]
    [InlineData("1")]
    public async Task CofferListsAndReadsWhatResticJustWrote(string version)
    {
        using var fx = new InteropFixture();
        await fx.Restic.OkAsync("init", "--repository-version", version);
        var src = fx.Temp.Combine("src");
        SourceTree.CreateMixed(src);
        await fx.Restic.OkAsync("backup", src, "--host", "h1", "--tag", "a,b");
        File.WriteAllText(Path.Combine(src, "hello.txt"), "changed\n");
        await fx.Restic.OkAsync("backup", src, "--host", "h2");

        Assert.Equal((await fx.Restic.OkAsync("snapshots", "--json")).Out.Trim(), (await fx.CofferOkAsync("snapshots", "--json")).Out.Trim());
        Assert.Equal((await fx.Restic.OkAsync("snapshots", "--json", "--host", "h1")).Out.Trim(), (await fx.CofferOkAsync("snapshots", "--json", "--host", "h1")).Out.Trim());
        Assert.Equal((await fx.Restic.OkAsync("snapshots", "--json", "--tag", "a")).Out.Trim(), (await fx.CofferOkAsync("snapshots", "--json", "--tag", "a")).Out.Trim());
        Assert.Equal((await fx.Restic.OkAsync("snapshots")).Out, (await fx.CofferOkAsync("snapshots")).Out);
        Assert.Equal((await fx.Restic.OkAsync("ls", "--json", "latest")).Out, (await fx.CofferOkAsync("ls", "--json", "latest")).Out);
        Assert.Equal((await fx.Restic.OkAsync("ls", "-l", "latest")).Out, (await fx.CofferOkAsync("ls", "-l", "latest")).Out);
        Assert.Equal((await fx.Restic.OkAsync("ls", "latest")).Out, (await fx.CofferOkAsync("ls", "latest")).Out);

        static string[] Sorted(string s) => s.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(Sorted((await fx.Restic.OkAsync("list", "blobs")).Out), Sorted((await fx.CofferOkAsync("list", "blobs")).Out));
        foreach (var kind in new[] { "packs", "index", "snapshots", "keys" })
        {
            Assert.Equal(Sorted((await fx.Restic.OkAsync("list", kind)).Out), Sorted((await fx.CofferOkAsync("list", kind)).Out));
        }
        foreach (var index in Sorted((await fx.Restic.OkAsync("list", "index")).Out))
        {
            var r = await fx.CofferOkAsync("cat", "index", index);
            Assert.Equal((await fx.Restic.OkAsync("cat", "index", index)).Out.TrimEnd('\n'), System.Text.Encoding.UTF8.GetString(r.Binary).TrimEnd('\n'));
        }
        foreach (var line in Sorted((await fx.Restic.OkAsync("list", "blobs")).Out))
        {
            var id = line.Split(' ')[1];
            var ours = await fx.CofferOkAsync("cat", "blob", id);
            Assert.Equal(id, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(ours.Binary)));
        }
        Assert.Equal((await fx.Restic.OkAsync("cat", "config")).Out, (await fx.CofferOkAsync("cat", "config")).Out);
        Assert.Equal((await fx.Restic.OkAsync("cat", "masterkey")).Out, (await fx.CofferOkAsync("cat", "masterkey")).Out);
        var latest = JsonDocument.Parse((await fx.Restic.OkAsync("snapshots", "--json", "latest")).Out).RootElement[0].GetProperty("id").GetString()!;
        Assert.Equal((await fx.Restic.OkAsync("cat", "snapshot", latest)).Out, (await fx.CofferOkAsync("cat", "snapshot", latest)).Out);
    }

    [Fact]
    public async Task CopyChunkerParamsTakesTheSourcePolynomial()
    {
        using var fx = new InteropFixture();
        var source = fx.Temp.Combine("source");
        await fx.Restic.OkAsync("init", "-r", source);
        fx.Coffer.Environment["COFFER_FROM_REPOSITORY"] = source;
        fx.Coffer.Environment["COFFER_FROM_PASSWORD_FILE"] = fx.PasswordFile;
        await fx.CofferOkAsync("init", "--copy-chunker-params");
        var ours = JsonDocument.Parse((await fx.Restic.OkAsync("cat", "config")).Out).RootElement.GetProperty("chunker_polynomial").GetString();
        var theirs = JsonDocument.Parse((await fx.Restic.OkAsync("cat", "config", "-r", source)).Out).RootElement.GetProperty("chunker_polynomial").GetString();
        Assert.Equal(theirs, ours);
    }

    [Fact]
    public async Task ResticSeesAndRespectsCofferLocks()
    {
        using var fx = new InteropFixture();
        await fx.CofferOkAsync("init");
        var backend = Coffer.Backends.Local.LocalBackend.Open(fx.RepoPath);
        var repo = await Coffer.Core.Repository.Repository.OpenAsync(backend, System.Text.Encoding.UTF8.GetBytes(fx.Password), CancellationToken.None);
        await using (var held = await Coffer.Core.Repository.RepositoryLock.AcquireAsync(repo, exclusive: true, CancellationToken.None))
        {
            var locks = (await fx.Restic.OkAsync("list", "locks", "--no-lock")).Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(held.Name, Assert.Single(locks));
            var json = JsonDocument.Parse((await fx.Restic.OkAsync("cat", "lock", held.Name, "--no-lock")).Out).RootElement;
            Assert.True(json.GetProperty("exclusive").GetBoolean());
            Assert.Equal(Environment.ProcessId, json.GetProperty("pid").GetInt32());
            // An exclusive Coffer lock blocks restic from taking any lock.
            var blocked = await fx.Restic.RunAsync("backup", fx.PasswordFile);
            Assert.NotEqual(0, blocked.ExitCode);
            Assert.Contains("locked", blocked.Error, StringComparison.OrdinalIgnoreCase);
        }
        Assert.Empty((await fx.Restic.OkAsync("list", "locks")).Out.Trim());
    }
}
