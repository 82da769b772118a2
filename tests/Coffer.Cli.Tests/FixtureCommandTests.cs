using System.Text.Json;
using Coffer.Testing;

namespace Coffer.Cli.Tests;

/// <summary>The read commands against the restic-made fixture, read in place (no lock written).</summary>
public sealed class FixtureCommandTests
{
    public static TheoryData<string> Repositories => new() { "repo", "repo-nocompress" };

    private static string ExpectedDir(string repo) => Fixtures.Path2(repo == "repo" ? "expected" : "expected-nocompress");

    private static CliRunner Runner(string repo)
    {
        var runner = new CliRunner { TimeZone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Kolkata") };
        runner.Environment["RESTIC_REPOSITORY"] = Fixtures.Path2(repo);
        runner.Environment["RESTIC_PASSWORD"] = Fixtures.Password;
        return runner;
    }

    private static async Task<CliRunner.Result> Ok(CliRunner runner, params string[] args)
    {
        var r = await runner.RunAsync([.. args, "--no-lock"]);
        Assert.True(r.ExitCode == 0, $"exit {r.ExitCode}: {r.Error}");
        return r;
    }

    [Theory]
    [MemberData(nameof(Repositories))]
    public async Task SnapshotsJsonEqualsRestic(string repo)
    {
        var r = await Ok(Runner(repo), "snapshots", "--json");
        Assert.Equal(File.ReadAllText(Path.Combine(ExpectedDir(repo), "snapshots.json")).TrimEnd('\n'), r.Out.TrimEnd('\n'));
    }

    [Fact]
    public async Task SnapshotsTableHasResticShape()
    {
        var r = await Ok(Runner("repo"), "snapshots");
        var ids = JsonDocument.Parse(File.ReadAllText(Fixtures.Path2("expected", "snapshots.json"))).RootElement.EnumerateArray().Select(e => e.GetProperty("short_id").GetString()).ToList();
        var dashes = new string('-', 73);
        var expected = $"ID        Time                 Host          Tags        Paths\n{dashes}\n" +
            $"{ids[0]}  2022-08-01 10:00:00  fixture-host              /srv/fixture/src\n" +
            $"{ids[1]}  2022-08-02 10:00:00  fixture-host              /srv/fixture/src\n{dashes}\n2 snapshots\n";
        Assert.Equal(expected, r.Out);
    }

    [Fact]
    public async Task SnapshotFiltersAndLatest()
    {
        var runner = Runner("repo");
        var latest = await Ok(runner, "snapshots", "--json", "latest");
        var facts = JsonDocument.Parse(File.ReadAllText(Fixtures.Path2("expected", "facts.json"))).RootElement;
        var newest = facts.GetProperty("snapshots_in_time_order").EnumerateArray().Last().GetString();
        Assert.Contains(newest!, latest.Out, StringComparison.Ordinal);
        Assert.Single(JsonDocument.Parse(latest.Out).RootElement.EnumerateArray());
        Assert.Equal("[]", (await Ok(runner, "snapshots", "--json", "--host", "other")).Out.Trim());
        Assert.Equal(2, JsonDocument.Parse((await Ok(runner, "snapshots", "--json", "--path", "/srv/fixture/src")).Out).RootElement.GetArrayLength());
        Assert.Equal("[]", (await Ok(runner, "snapshots", "--json", "--tag", "nope")).Out.Trim());
        var prefix = await Ok(runner, "snapshots", "--json", newest![..5]);
        Assert.Contains(newest, prefix.Out, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> LsFiles()
    {
        var data = new TheoryData<string, string>();
        foreach (var repo in new[] { "repo", "repo-nocompress" })
        {
            foreach (var f in Directory.GetFiles(Path.Combine(ExpectedDir(repo), "ls")))
            {
                data.Add(repo, Path.GetFileName(f));
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(LsFiles))]
    public async Task LsOutputEqualsRestic(string repo, string file)
    {
        // ls-l-<short>.txt or ls-json-<short>.txt
        var parts = Path.GetFileNameWithoutExtension(file).Split('-');
        var shortId = parts[^1];
        var args = parts[1] == "json" ? new[] { "ls", "--json", shortId } : ["ls", "-l", "--quiet", shortId];
        var r = await Ok(Runner(repo), args);
        Assert.Equal(File.ReadAllText(Path.Combine(ExpectedDir(repo), "ls", file)), r.Out);
    }

    [Fact]
    public async Task LsWithDirectoryListsItAndItsChildren()
    {
        var r = await Ok(Runner("repo"), "ls", "-q", "latest", "/src/nested");
        Assert.Equal("/src/nested\n/src/nested/deeper\n/src/nested/readme.md\n", r.Out);
        var deep = await Ok(Runner("repo"), "ls", "-q", "latest", "/src/nested", "--recursive");
        Assert.Equal("/src/nested\n/src/nested/deeper\n/src/nested/deeper/deep.txt\n/src/nested/readme.md\n", deep.Out);
    }

    [Fact]
    public async Task LsPrintsResticsHeaderUnlessQuiet()
    {
        var r = await Ok(Runner("repo"), "ls", "latest", "/src/nested");
        Assert.StartsWith("snapshot ", r.Lines[0], StringComparison.Ordinal);
        Assert.Contains("of [/srv/fixture/src] filtered by [/src/nested] at 2022-08-02 10:00:00 +0530", r.Lines[0], StringComparison.Ordinal);
        Assert.Equal("/src/nested", r.Lines[1]);
    }

    [Theory]
    [MemberData(nameof(Repositories))]
    public async Task CatJsonFilesEqualRestic(string repo)
    {
        var runner = Runner(repo);
        var dir = ExpectedDir(repo);
        Assert.Equal(File.ReadAllText(Path.Combine(dir, "config.json")).TrimEnd('\n'), (await Ok(runner, "cat", "config")).Out.TrimEnd('\n'));
        Assert.Equal(File.ReadAllText(Path.Combine(dir, "masterkey.json")).TrimEnd('\n'), (await Ok(runner, "cat", "masterkey")).Out.TrimEnd('\n'));
        foreach (var f in Directory.GetFiles(Path.Combine(dir, "snapshots")))
        {
            var id = Path.GetFileNameWithoutExtension(f);
            Assert.Equal(File.ReadAllText(f).TrimEnd('\n'), (await Ok(runner, "cat", "snapshot", id)).Out.TrimEnd('\n'));
        }
        foreach (var f in Directory.GetFiles(Path.Combine(dir, "keys")))
        {
            var id = Path.GetFileNameWithoutExtension(f);
            Assert.Equal(File.ReadAllText(f).TrimEnd('\n'), (await Ok(runner, "cat", "key", id[..8])).Out.TrimEnd('\n'));
        }
    }

    [Theory]
    [MemberData(nameof(Repositories))]
    public async Task CatIndexAndTreesAreExactPlaintexts(string repo)
    {
        var runner = Runner(repo);
        var dir = ExpectedDir(repo);
        foreach (var f in Directory.GetFiles(Path.Combine(dir, "index")))
        {
            var r = await Ok(runner, "cat", "index", Path.GetFileNameWithoutExtension(f));
            Assert.Equal(File.ReadAllBytes(f), r.Binary);
        }
        foreach (var f in Directory.GetFiles(Path.Combine(dir, "trees")))
        {
            var r = await Ok(runner, "cat", "blob", Path.GetFileNameWithoutExtension(f));
            Assert.Equal(File.ReadAllBytes(f), r.Binary);
        }
    }

    [Fact]
    public async Task CatBlobOfDataChunkHashesToItsId()
    {
        var facts = JsonDocument.Parse(File.ReadAllText(Fixtures.Path2("expected", "facts.json"))).RootElement;
        var chunk = facts.GetProperty("file_chunks").GetProperty("/src/big.dna").EnumerateObject().First().Value.EnumerateArray().First();
        var id = chunk.GetProperty("id").GetString()!;
        var r = await Ok(Runner("repo"), "cat", "blob", id);
        Assert.Equal(chunk.GetProperty("length").GetInt64(), r.Binary.LongLength);
        Assert.Equal(id, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(r.Binary)));
    }

    [Theory]
    [MemberData(nameof(Repositories))]
    public async Task ListCommandsEqualResticFacts(string repo)
    {
        var runner = Runner(repo);
        var facts = JsonDocument.Parse(File.ReadAllText(Path.Combine(ExpectedDir(repo), "facts.json"))).RootElement;
        var blobs = (await Ok(runner, "list", "blobs")).Lines.Order(StringComparer.Ordinal).ToList();
        Assert.Equal(facts.GetProperty("list_blobs").EnumerateArray().Select(e => e.GetString()!).Order(StringComparer.Ordinal), blobs);
        var packs = (await Ok(runner, "list", "packs")).Lines.Order(StringComparer.Ordinal).ToList();
        Assert.Equal(facts.GetProperty("list_packs").EnumerateArray().Select(e => e.GetString()!).Order(StringComparer.Ordinal), packs);
        Assert.Equal(facts.GetProperty("index").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal), (await Ok(runner, "list", "index")).Lines.Order(StringComparer.Ordinal));
        Assert.Equal(facts.GetProperty("snapshots").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal), (await Ok(runner, "list", "snapshots")).Lines.Order(StringComparer.Ordinal));
        Assert.Equal(facts.GetProperty("keys").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal), (await Ok(runner, "list", "keys")).Lines.Order(StringComparer.Ordinal));
        Assert.Empty((await Ok(runner, "list", "locks")).Lines);
    }

    [Fact]
    public async Task KeyListShowsCurrentKey()
    {
        var r = await Ok(Runner("repo"), "key", "list", "--json");
        var key = Assert.Single(JsonDocument.Parse(r.Out).RootElement.EnumerateArray());
        Assert.True(key.GetProperty("current").GetBoolean());
        Assert.Equal("fixture-host", key.GetProperty("hostName").GetString());
        Assert.Equal("root", key.GetProperty("userName").GetString());
        var table = await Ok(Runner("repo"), "key", "list");
        Assert.StartsWith(" ID        User  Host          Created\n", table.Out, StringComparison.Ordinal);
        Assert.Contains("*" + key.GetProperty("id").GetString(), table.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VersionPrints()
    {
        var r = await new CliRunner().RunAsync("version");
        Assert.Equal(0, r.ExitCode);
        Assert.StartsWith("coffer ", r.Out, StringComparison.Ordinal);
    }
}
