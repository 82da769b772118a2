using System.Diagnostics;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Coffer.Core.Interop;
using Coffer.Testing;

namespace Coffer.Cli.Tests;

/// <summary>dump, find, diff and stats against the restic-made fixture and what restic reported about it.</summary>
public sealed class BrowseFixtureTests
{
    private static CliRunner Runner(string? repo = null)
    {
        var runner = new CliRunner { TimeZone = TimeZoneInfo.Utc };
        runner.Environment["RESTIC_REPOSITORY"] = repo ?? Fixtures.Path2("repo");
        runner.Environment["RESTIC_PASSWORD"] = Fixtures.Password;
        return runner;
    }

    private static async Task<CliRunner.Result> Ok(CliRunner runner, params string[] args)
    {
        var r = await runner.RunAsync([.. args, "--no-lock"]);
        Assert.True(r.ExitCode == 0, $"exit {r.ExitCode}: {r.Error}");
        return r;
    }

    private static List<JsonElement> Manifest() =>
        [.. JsonDocument.Parse(File.ReadAllText(Fixtures.Path2("source-manifest-v2.json"))).RootElement.EnumerateArray()];

    private static JsonElement Facts() => JsonDocument.Parse(File.ReadAllText(Fixtures.Path2("expected", "facts.json"))).RootElement;

    [Fact]
    public async Task DumpOfEveryFileHasTheSourceHash()
    {
        var runner = Runner();
        var files = Manifest().Where(e => e.GetProperty("type").GetString() == "file").ToList();
        Assert.True(files.Count > 10);
        foreach (var file in files)
        {
            var path = file.GetProperty("path").GetString()!;
            var r = await Ok(runner, "dump", "latest", path);
            Assert.Equal(file.GetProperty("sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(r.Binary)));
        }
    }

    [Fact]
    public async Task DumpTarExtractedByGnuTarEqualsTheSourceTree()
    {
        using var temp = new TempDirectory("coffer-dump-");
        var archive = temp.Combine("all.tar");
        await Ok(Runner(), "dump", "latest", "/", "--target", archive);
        var target = temp.Combine("x");
        Directory.CreateDirectory(target);
        Run("tar", "-xpf", archive, "-C", target, "--xattrs", "--xattrs-include=*", "--numeric-owner");
        var isRoot = Environment.UserName == "root";
        var byInode = new Dictionary<ulong, string>();
        foreach (var entry in Manifest())
        {
            var path = entry.GetProperty("path").GetString()!;
            var type = entry.GetProperty("type").GetString()!;
            if (type == "socket" || (!isRoot && type is "dev" or "chardev"))
            {
                continue;
            }
            var st = PosixFileSystem.LStat(Encoding.UTF8.GetBytes(target + path));
            Assert.True(Convert.ToString(st.Mode, 8) == entry.GetProperty("mode_octal").GetString()![2..], $"{path}: mode {Convert.ToString(st.Mode, 8)}");
            var mtime = st.ModTime.UnixSeconds * 1_000_000_000 + st.ModTime.Nanoseconds;
            Assert.True(entry.GetProperty("mtime_ns").GetInt64() == mtime, $"{path}: mtime {mtime}");
            switch (type)
            {
                case "file":
                    Assert.Equal(entry.GetProperty("sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(target + path))));
                    if (entry.GetProperty("links").GetInt32() > 1)
                    {
                        Assert.Equal(2UL, st.Links);
                        byInode.TryAdd(st.Inode, path);
                    }
                    break;
                case "symlink":
                    Assert.Equal(entry.GetProperty("linktarget").GetString(), Encoding.UTF8.GetString(PosixFileSystem.ReadLink(Encoding.UTF8.GetBytes(target + path))));
                    break;
                case "dev" or "chardev":
                    Assert.Equal(entry.GetProperty("rdev").GetUInt64(), st.RDev);
                    break;
                default:
                    break;
            }
        }
        Assert.Single(byInode);
        Assert.Equal("hello xattr", Encoding.UTF8.GetString(PosixFileSystem.ListXattrs(Encoding.UTF8.GetBytes(target + "/src/xattr.txt")).Single(x => x.Name == "user.comment").Value));
    }

    [Fact]
    public async Task DumpZipReadsBackWithTheSourceHashes()
    {
        using var temp = new TempDirectory("coffer-dump-");
        var archive = temp.Combine("src.zip");
        await Ok(Runner(), "dump", "--archive", "zip", "latest", "/src", "--target", archive);
        using (var zip = ZipFile.OpenRead(archive))
        {
            foreach (var entry in Manifest().Where(e => e.GetProperty("type").GetString() == "file"))
            {
                var name = entry.GetProperty("path").GetString()![1..];
                using var s = zip.GetEntry(name)!.Open();
                Assert.Equal(entry.GetProperty("sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(s)));
                Assert.Equal(entry.GetProperty("mode_octal").GetString()![2..], Convert.ToString(zip.GetEntry(name)!.ExternalAttributes >>> 16, 8));
            }
            Assert.Equal("../does/not/exist", new StreamReader(zip.GetEntry("src/dangling-link")!.Open()).ReadToEnd());
        }
        // An independent reader (test.sh installs it) agrees that the archive is sound.
        Assert.Contains("No errors detected", Run("unzip", "-t", archive), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DumpRefusesArchiveToTerminalAndUnknownPaths()
    {
        var runner = Runner();
        runner.IsOutputTerminal = true;
        var r = await runner.RunAsync("dump", "latest", "/src", "--no-lock");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("stdout is the terminal", r.Error, StringComparison.Ordinal);
        Assert.Empty(r.Binary);
        Assert.Equal(0, (await runner.RunAsync("dump", "latest", "/src/hello.txt", "--no-lock")).ExitCode);
        var missing = await Runner().RunAsync("dump", "latest", "/src/nope", "--no-lock");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("path \"/src/nope\" not found in snapshot", missing.Error, StringComparison.Ordinal);
        var bad = await Runner().RunAsync("dump", "-a", "rar", "latest", "/src", "--no-lock");
        Assert.Contains("unknown archive format \"rar\"", bad.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DumpWithAMissingPackFailsNamingTheFileAndLeavesNoTarget()
    {
        var repo = Fixtures.CopyRepository();
        try
        {
            var pack = Facts().GetProperty("file_chunks").GetProperty("/src/big.dna").EnumerateObject()
                .Select(p => p.Value.EnumerateArray().ElementAt(1).GetProperty("pack").GetString()!).Distinct().ToList();
            foreach (var p in pack)
            {
                File.Delete(Path.Combine(repo, "data", p[..2], p));
            }
            var runner = Runner(repo);
            var stdout = await runner.RunAsync("dump", "latest", "/src/big.dna");
            Assert.Equal(1, stdout.ExitCode);
            Assert.Contains("/src/big.dna", stdout.Error.Split('\n')[0], StringComparison.Ordinal);
            Assert.True(stdout.Binary.Length < 4_500_900);
            var target = Path.Combine(repo, "out.bin");
            var file = await runner.RunAsync("dump", "latest", "/src/big.dna", "--target", target);
            Assert.Equal(1, file.ExitCode);
            Assert.False(File.Exists(target));
            Assert.Empty(Directory.GetFiles(repo, "*.coffer-*"));
            var tar = await runner.RunAsync("dump", "latest", "/", "--target", target);
            Assert.Equal(1, tar.ExitCode);
            Assert.Contains("/src/big.dna", tar.Error, StringComparison.Ordinal);
            Assert.False(File.Exists(target));
        }
        finally
        {
            Directory.Delete(repo, recursive: true);
        }
    }

    public static TheoryData<string> Modes => new() { "restore-size", "files-by-contents", "raw-data", "blobs-per-file" };

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task StatsEqualResticsFacts(string mode)
    {
        var expected = Facts().GetProperty("stats_all_snapshots").GetProperty(mode);
        var r = await Ok(Runner(), "stats", "--json", "--mode", mode);
        var actual = JsonDocument.Parse(r.Out).RootElement;
        foreach (var p in expected.EnumerateObject())
        {
            Assert.Equal(p.Value.GetInt64(), actual.TryGetProperty(p.Name, out var v) ? v.GetInt64() : 0);
        }
        var text = await Ok(Runner(), "stats", "--mode", mode);
        Assert.StartsWith($"scanning...\nStats in {mode} mode:\nSnapshots processed:   2\n", text.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DiffEqualsRestics()
    {
        var ids = Facts().GetProperty("snapshots_in_time_order").EnumerateArray().Select(e => e.GetString()!).ToList();
        var r = await Ok(Runner(), "diff", ids[0][..8], ids[1][..8]);
        var expected = $"comparing snapshot {ids[0][..8]} to {ids[1][..8]}:\n\nM    /src/big.dna\n" + File.ReadAllText(Fixtures.Path2("expected", "diff.txt"));
        Assert.Equal(expected, r.Out);
        var json = await Ok(Runner(), "diff", "--json", ids[0], ids[1][..8]);
        var lines = json.Lines;
        Assert.Equal("{\"message_type\":\"change\",\"path\":\"/src/big.dna\",\"modifier\":\"M\"}", lines[0]);
        Assert.StartsWith($"{{\"message_type\":\"statistics\",\"source_snapshot\":\"{ids[0]}\",\"target_snapshot\":\"{ids[1][..8]}\",\"changed_files\":1,", lines[1], StringComparison.Ordinal);
        var sub = await Ok(Runner(), "diff", "-q", ids[0] + ":/src/nested", ids[1] + ":/src/nested");
        Assert.StartsWith("\nFiles:           0 new,     0 removed,     0 changed\n", sub.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FindPrintsResticsShapes()
    {
        var ids = Facts().GetProperty("snapshots_in_time_order").EnumerateArray().Select(e => e.GetString()!).ToList();
        var r = await Ok(Runner(), "find", "-s", ids[1][..8], "readme.md", "deep*");
        Assert.Equal($"Found matching entries in snapshot {ids[1][..8]} from 2022-08-02 04:30:00\n/src/nested/deeper\n/src/nested/deeper/deep.txt\n/src/nested/readme.md\n", r.Out);
        var json = JsonDocument.Parse((await Ok(Runner(), "find", "--json", "*.md")).Out).RootElement;
        Assert.Equal(2, json.GetArrayLength());
        Assert.Equal(ids[0], json[0].GetProperty("snapshot").GetString());
        Assert.Equal(1, json[0].GetProperty("hits").GetInt32());
        Assert.Equal("/src/nested/readme.md", json[0].GetProperty("matches")[0].GetProperty("path").GetString());
        Assert.Equal("[]\n", (await Ok(Runner(), "find", "--json", "nothing-matches")).Out);
        var chunk = Facts().GetProperty("file_chunks").GetProperty("/src/hello.txt").EnumerateObject().First().Value[0].GetProperty("id").GetString()!;
        var blob = await Ok(Runner(), "find", "--blob", chunk[..8], "-s", ids[0]);
        Assert.StartsWith($"Found blob {chunk}\n ... in file /src/hello.txt\n     (tree ", blob.Out, StringComparison.Ordinal);
    }

    private static string Run(string exe, params string[] args)
    {
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd();
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{exe} exited {p.ExitCode}: {error}");
        return output;
    }
}
