using System.Security.Cryptography;
using System.Text.Json;
using Coffer.Backends.Local;
using Coffer.Core.Interop;
using Coffer.Testing;

namespace Coffer.Cli.Tests;

/// <summary><c>coffer restore</c>: the restic fixture restored bit-identically, argument errors, damaged data.</summary>
public sealed class RestoreCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new("coffer-restore-cli-");

    public void Dispose() => _temp.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static CliRunner FixtureRunner()
    {
        var runner = new CliRunner();
        runner.Environment["COFFER_REPOSITORY"] = Fixtures.Path2("repo");
        runner.Environment["COFFER_PASSWORD"] = Fixtures.Password;
        return runner;
    }

    private static void OneLine(CliRunner.Result r, string expected)
    {
        Assert.Equal(1, r.ExitCode);
        var lines = r.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("Fatal: ", lines[0], StringComparison.Ordinal);
        Assert.Contains(expected, lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", r.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, "source-manifest-v1.json")]
    [InlineData(1, "source-manifest-v2.json")]
    public async Task RestoresTheResticFixtureBitIdentically(int snapshot, string manifest)
    {
        var facts = JsonDocument.Parse(await File.ReadAllTextAsync(Fixtures.Path2("expected", "facts.json"), Ct)).RootElement;
        var id = facts.GetProperty("snapshots_in_time_order")[snapshot].GetString()!;
        var target = _temp.Combine("target");
        var r = await FixtureRunner().RunAsync("restore", id, "--target", target, "--no-lock", "--json", "--verify");
        Assert.True(r.ExitCode == 0, r.Error + r.Out);
        var summary = JsonDocument.Parse(r.Lines.Last()).RootElement;
        Assert.Equal("summary", summary.GetProperty("message_type").GetString());
        var entries = JsonDocument.Parse(await File.ReadAllTextAsync(Fixtures.Path2(manifest), Ct)).RootElement.EnumerateArray().ToList();
        var expectedItems = entries.Count(e => e.GetProperty("type").GetString() != "socket") + 1; // and /src itself
        Assert.Equal(expectedItems, summary.GetProperty("files_restored").GetInt32());
        Assert.Equal(expectedItems, summary.GetProperty("total_files").GetInt32());
        var checkedFiles = 0;
        foreach (var e in entries)
        {
            var type = e.GetProperty("type").GetString();
            var path = target + e.GetProperty("path").GetString();
            if (type == "socket")
            {
                Assert.False(PosixFileSystem.TryLStat(path, out _, out _));
                continue;
            }
            var st = PosixFileSystem.LStat(path);
            Assert.Equal(Convert.ToUInt32(e.GetProperty("mode_octal").GetString()![2..], 8), st.Mode);
            var mtime = e.GetProperty("mtime_ns").GetInt64();
            Assert.Equal((mtime / 1_000_000_000, (int)(mtime % 1_000_000_000)), (st.ModTime.UnixSeconds, st.ModTime.Nanoseconds));
            if (e.TryGetProperty("sha256", out var sha))
            {
                Assert.Equal(sha.GetString(), Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(path, Ct))));
                checkedFiles++;
            }
            if (e.TryGetProperty("linktarget", out var link))
            {
                Assert.Equal(link.GetString(), System.Text.Encoding.UTF8.GetString(PosixFileSystem.ReadLink(path)));
            }
            if (e.TryGetProperty("rdev", out var rdev))
            {
                Assert.Equal(rdev.GetUInt64(), st.RDev);
            }
            if (e.TryGetProperty("xattrs", out var xattrs))
            {
                var actual = PosixFileSystem.ListXattrs(path).ToDictionary(x => x.Name, x => System.Text.Encoding.UTF8.GetString(x.Value));
                foreach (var x in xattrs.EnumerateObject())
                {
                    Assert.Equal(x.Value.GetString(), actual[x.Name]);
                }
            }
        }
        Assert.True(checkedFiles >= 10);
        Assert.Equal(PosixFileSystem.LStat(Path.Combine(target, "src", "hardlink-a.txt")).Inode, PosixFileSystem.LStat(Path.Combine(target, "src", "hardlink-b.txt")).Inode);
    }

    [Fact]
    public async Task MissingTargetIsOneLine()
    {
        using var temp = new TempDirectory();
        var runner = new CliRunner();
        runner.Environment["COFFER_REPOSITORY"] = temp.Combine("no-repo-needed");
        OneLine(await runner.RunAsync("restore", "latest"), "please specify a directory to restore to (--target)");
        OneLine(await runner.RunAsync("restore", "--target", temp.Path), "no snapshot ID specified");
        OneLine(await runner.RunAsync("restore", "latest", "--target", temp.Path, "--overwrite", "sometimes"), "invalid overwrite behavior");
        OneLine(await runner.RunAsync("restore", "latest", "--target", temp.Path, "--include", "[unclosed"), "invalid pattern");
    }

    [Fact]
    public async Task SubpathNotInTheSnapshotIsAClearError()
    {
        var r = await FixtureRunner().RunAsync("restore", "latest:/src/no/such/dir", "--target", _temp.Combine("t"), "--no-lock");
        OneLine(r, "path /src/no not found in snapshot");
        Assert.False(Directory.Exists(_temp.Combine("t")));
    }

    [Fact]
    public async Task SubpathRestoresThatDirectoryAndVerboseDryRunListsItems()
    {
        var target = _temp.Combine("nested");
        var dry = await FixtureRunner().RunAsync("restore", "latest:/src/nested", "--target", target, "--no-lock", "--dry-run", "-v");
        Assert.Equal(0, dry.ExitCode);
        Assert.Contains(dry.Lines, l => l.StartsWith("restored  /deeper/deep.txt", StringComparison.Ordinal));
        Assert.Contains(dry.Lines, l => l.StartsWith("Summary (dry run): Would restore 3 files/dirs", StringComparison.Ordinal));
        Assert.False(Directory.Exists(target));
        var r = await FixtureRunner().RunAsync("restore", "latest:/src/nested", "--target", target, "--no-lock");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains(r.Lines, l => l.StartsWith("Summary: Restored 3 files/dirs", StringComparison.Ordinal));
        Assert.Equal(["deeper", "readme.md"], Directory.GetFileSystemEntries(target).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task DamagedBlobNamesTheFileAndExitsNonZero()
    {
        var repoPath = _temp.Combine("repo");
        Coffer.Core.Primitives.BlobId badBlob;
        await using (var builder = await RepositoryBuilder.CreateAsync(LocalBackend.Open(repoPath), "secret"))
        {
            var ok = await builder.FileAsync("ok.txt", "fine"u8.ToArray());
            await builder.FlushAsync();
            var bad = await builder.FileAsync("bad.bin", SourceTree.Stream("bad", 100_000));
            badBlob = bad.Content![0];
            await builder.SnapshotAsync(await builder.TreeAsync(ok, bad));
            var pack = builder.PackOf(badBlob).ToString();
            var packFile = Path.Combine(repoPath, "data", pack[..2], pack);
            File.SetUnixFileMode(packFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            var bytes = await File.ReadAllBytesAsync(packFile, Ct);
            bytes[builder.OffsetOf(badBlob) + 20] ^= 0x80;
            await File.WriteAllBytesAsync(packFile, bytes, Ct);
        }
        var runner = new CliRunner();
        runner.Environment["COFFER_REPOSITORY"] = repoPath;
        runner.Environment["COFFER_PASSWORD"] = "secret";
        var target = _temp.Combine("target");
        var r = await runner.RunAsync("restore", "latest", "--target", target);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("/bad.bin", r.Error, StringComparison.Ordinal);
        Assert.Contains(badBlob.ToString(), r.Error, StringComparison.Ordinal);
        Assert.EndsWith("Fatal: There were 1 errors\n", r.Error, StringComparison.Ordinal);
        Assert.Equal("fine", await File.ReadAllTextAsync(Path.Combine(target, "ok.txt"), Ct));
        Assert.False(File.Exists(Path.Combine(target, "bad.bin")));
    }
}
