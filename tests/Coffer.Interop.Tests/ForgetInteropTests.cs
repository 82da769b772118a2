using System.Text.Json;
using Coffer.Testing;

namespace Coffer.Interop.Tests;

/// <summary>
/// <c>forget</c> and <c>tag</c> decide exactly as restic 0.14 on the same repository: the JSON of every
/// group (kept and removed snapshots, reasons, counters) is byte-identical, and tagging produces the same
/// snapshot files.
/// </summary>
public sealed class ForgetInteropTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Groups by their key (restic lists groups in map order), each as its exact JSON text.</summary>
    private static SortedDictionary<string, string> Groups(string json)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (json.Trim().Length == 0)
        {
            return result;
        }
        using var doc = JsonDocument.Parse(json);
        foreach (var g in doc.RootElement.EnumerateArray())
        {
            var key = g.GetProperty("host").GetRawText() + g.GetProperty("paths").GetRawText() + g.GetProperty("tags").GetRawText();
            result.Add(key, g.GetRawText());
        }
        return result;
    }

    public static TheoryData<string[]> Policies => new()
    {
        new[] { "--keep-last", "3" },
        new[] { "--keep-daily", "5", "--keep-weekly", "3", "--keep-monthly", "4", "--keep-yearly", "2" },
        new[] { "-H", "10", "--keep-within", "1m2d" },
        new[] { "--keep-within-hourly", "2d", "--keep-within-daily", "10d", "--keep-within-weekly", "2m", "--keep-within-monthly", "1y", "--keep-within-yearly", "5y" },
        new[] { "--keep-tag", "a,b", "--keep-tag", "c", "--keep-last", "1", "--group-by", "host,tags" },
        new[] { "--keep-monthly", "6", "--keep-tag", "important", "--group-by", "" },
        new[] { "-w", "8", "--host", "alpha", "--path", "/srv", "--group-by", "paths" },
        new[] { "-l", "2", "-d", "3", "--keep-within", "1y", "--tag", "daily", "--group-by", "host,paths,tags" },
    };

    [Theory]
    [MemberData(nameof(Policies))]
    public async Task DryRunJsonEqualsRestic(string[] policy)
    {
        using var fx = new InteropFixture();
        await SnapshotSetup.AddAsync(fx, 90, seed: 14, Ct);
        string[] args = ["forget", "--dry-run", "--json", .. policy];
        var restic = await fx.Restic.OkAsync([.. args, "--no-lock"]);
        var coffer = await fx.CofferOkAsync(args);
        var expected = Groups(restic.Out);
        var actual = Groups(coffer.Out);
        Assert.NotEmpty(expected);
        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var (key, json) in expected)
        {
            Assert.Equal(json, actual[key]);
        }
        Assert.Contains(expected.Values, g => g.Contains("\"remove\":[", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ARealForgetRemovesWhatResticWouldAndTheRepositoryChecks()
    {
        using var fx = new InteropFixture();
        await SnapshotSetup.AddAsync(fx, 60, seed: 3, Ct);
        string[] policy = ["--keep-daily", "4", "--keep-monthly", "3", "--keep-tag", "important"];
        var planned = Groups((await fx.Restic.OkAsync(["forget", "--dry-run", "--json", "--no-lock", .. policy])).Out);
        var keep = planned.Values.SelectMany(g => JsonDocument.Parse(g).RootElement.GetProperty("keep").EnumerateArray().Select(s => s.GetProperty("id").GetString()!)).Order(StringComparer.Ordinal).ToList();
        var r = await fx.CofferOkAsync(["forget", .. policy]);
        Assert.Contains("files deleted", r.Out, StringComparison.Ordinal);
        var left = JsonDocument.Parse((await fx.Restic.OkAsync("snapshots", "--json")).Out).RootElement.EnumerateArray()
            .Select(s => s.GetProperty("id").GetString()!).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(keep, left);
        var check = await fx.Restic.RunAsync("check");
        Assert.True(check.ExitCode == 0, check.Out + check.Error);
    }

    [Fact]
    public async Task TagRewritesSnapshotsExactlyAsRestic()
    {
        using var fx = new InteropFixture();
        await SnapshotSetup.AddAsync(fx, 12, seed: 5, Ct);
        var copy = fx.Temp.Combine("repo-restic");
        CopyDirectory(fx.RepoPath, copy);
        var resticOnCopy = new ResticRunner();
        resticOnCopy.Environment["RESTIC_REPOSITORY"] = copy;
        resticOnCopy.Environment["RESTIC_PASSWORD_FILE"] = fx.PasswordFile;
        var ids = JsonDocument.Parse((await fx.Restic.OkAsync("snapshots", "--json")).Out).RootElement.EnumerateArray()
            .Select(s => s.GetProperty("id").GetString()!).Order(StringComparer.Ordinal).ToList();

        string[][] steps =
        [
            ["tag", "--add", "new,extra", "--remove", "a", ids[0][..8], ids[1]],
            ["tag", "--remove", "b", "--host", "alpha"],
            ["tag", "--set", "x", "--set", "y,z", "--tag", "daily"],
            ["tag", "--add", "later", "--path", "/srv"],
        ];
        foreach (var step in steps)
        {
            var mine = await fx.CofferOkAsync(step);
            var theirs = await resticOnCopy.OkAsync(step);
            Assert.Equal(theirs.Out.Split('\n').Last(l => l.Length > 0), mine.Out.Split('\n').Last(l => l.Length > 0));
        }
        var expected = await resticOnCopy.OkAsync("snapshots", "--json");
        var actual = await fx.Restic.OkAsync("snapshots", "--json");
        Assert.Equal(Normalize(expected.Out), Normalize(actual.Out));
        var check = await fx.Restic.RunAsync("check");
        Assert.True(check.ExitCode == 0, check.Out + check.Error);
    }

    /// <summary>
    /// Snapshots, each as its exact JSON up to its own id (a new file's id differs: the encryption IV is
    /// random), sorted.
    /// </summary>
    private static List<string> Normalize(string json) =>
        JsonDocument.Parse(json).RootElement.EnumerateArray()
            .Select(e => e.GetRawText() is var raw ? raw[..raw.LastIndexOf(",\"id\":", StringComparison.Ordinal)] : "")
            .Order(StringComparer.Ordinal).ToList();

    private static void CopyDirectory(string from, string to)
    {
        foreach (var dir in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        }
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
        }
    }
}
