using System.Text;
using Coffer.Backends.Local;
using Coffer.Core.Interop;
using Coffer.Core.Model;
using Coffer.Core.Restorer;
using Coffer.Testing;

namespace Coffer.Core.Tests.Restorer;

/// <summary>
/// Damaged and hostile repositories, crafted with the repository's own key: restore refuses bad names, never
/// writes outside its target or through a symlink, and leaves out (and names) files whose data is bad, while
/// restoring everything else.
/// </summary>
public sealed class HostileRestoreTests : IAsyncLifetime
{
    private readonly TempDirectory _temp = new("coffer-hostile-");
    private RepositoryBuilder _builder = null!;
    private string _sentinel = "";
    private SortedDictionary<string, string> _sentinelBefore = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _builder = await RepositoryBuilder.CreateAsync(LocalBackend.Open(_temp.Combine("repo")));
        _sentinel = _temp.Combine("sentinel");
        Directory.CreateDirectory(Path.Combine(_sentinel, "inner"));
        await File.WriteAllTextAsync(Path.Combine(_sentinel, "inner", "file.txt"), "must not change", Ct);
        await File.WriteAllTextAsync(Path.Combine(_sentinel, "top.txt"), "must not change either", Ct);
        _sentinelBefore = SentinelState();
    }

    public async ValueTask DisposeAsync()
    {
        await _builder.DisposeAsync();
        _temp.Dispose();
    }

    private SortedDictionary<string, string> SentinelState()
    {
        var state = TreeManifest.Of(_sentinel, withDirTimes: true);
        var self = PosixFileSystem.LStat(_sentinel);
        state["."] = $"{self.Mode} {self.ModTime.UnixSeconds}.{self.ModTime.Nanoseconds}";
        return state;
    }

    private void AssertSentinelUntouched() => Assert.Empty(TreeManifest.Diff(_sentinelBefore, SentinelState()));

    private async Task<(RestoreSummary Summary, RecordingRestoreProgress Progress)> RestoreAsync(Coffer.Core.Primitives.BlobId rootTree, string target)
    {
        await _builder.SnapshotAsync(rootTree);
        var root = await SnapshotRestorer.LoadRootAsync(_builder.Repository, rootTree, null, Ct);
        var progress = new RecordingRestoreProgress();
        var summary = await SnapshotRestorer.RestoreAsync(_builder.Repository, root, new RestoreOptions { Target = target }, progress, Ct);
        return (summary, progress);
    }

    [Fact]
    public async Task RefusesNamesThatAreNotOneCleanComponent()
    {
        var good = await _builder.FileAsync("good.txt", "good"u8.ToArray());
        var inner = await _builder.TreeAsync(await _builder.FileAsync("escaped.txt", "escaped"u8.ToArray()));
        var nodes = new List<Node> { good };
        var bad = new (string Placeholder, byte[] Name)[]
        {
            ("bad-empty", []), ("bad-dot", "."u8.ToArray()), ("bad-dotdot", ".."u8.ToArray()), ("bad-slash", "a/b"u8.ToArray()),
            ("bad-nul", "a\0b"u8.ToArray()), ("bad-escape", "../sentinel"u8.ToArray()), ("zz-duplicate", "good.txt"u8.ToArray()),
        };
        foreach (var (placeholder, _) in bad)
        {
            nodes.Add(placeholder == "bad-escape" || placeholder == "bad-dotdot"
                ? RepositoryBuilder.Dir(placeholder, inner)
                : await _builder.FileAsync(placeholder, Encoding.UTF8.GetBytes("evil " + placeholder)));
        }
        var tree = new Tree(nodes);
        foreach (var node in tree.Nodes)
        {
            var match = bad.FirstOrDefault(b => b.Placeholder == node.NameText);
            if (match.Placeholder is not null)
            {
                node.Name = match.Name;
            }
        }
        var root = await _builder.TreeAsync(RepositoryBuilder.Dir("d", await _builder.TreeAsync(tree)));
        var target = _temp.Combine("target");

        var (summary, progress) = await RestoreAsync(root, target);

        Assert.Equal(bad.Length, summary.Errors);
        Assert.All(progress.Errors, e => Assert.Contains("tree /d: refusing node name", e.Message, StringComparison.Ordinal));
        Assert.Contains(progress.Errors, e => e.Message.Contains("occurs more than once", StringComparison.Ordinal));
        Assert.Equal("good", await File.ReadAllTextAsync(Path.Combine(target, "d", "good.txt"), Ct));
        Assert.Equal(["good.txt"], Directory.GetFileSystemEntries(Path.Combine(target, "d")).Select(Path.GetFileName));
        Assert.Equal(["d"], Directory.GetFileSystemEntries(target).Select(Path.GetFileName));
        Assert.False(File.Exists(_temp.Combine("escaped.txt")));
        AssertSentinelUntouched();
    }

    [Fact]
    public async Task NeverFollowsASymlinkPlantedInTheTarget()
    {
        var dir = await _builder.TreeAsync(await _builder.FileAsync("file.txt", "restored"u8.ToArray()));
        var root = await _builder.TreeAsync(RepositoryBuilder.Dir("inner", dir), await _builder.FileAsync("top.txt", "restored top"u8.ToArray()));
        var target = _temp.Combine("target");
        Directory.CreateDirectory(target);
        File.CreateSymbolicLink(Path.Combine(target, "inner"), Path.Combine(_sentinel, "inner"));
        File.CreateSymbolicLink(Path.Combine(target, "top.txt"), Path.Combine(_sentinel, "top.txt"));

        var (summary, progress) = await RestoreAsync(root, target);

        Assert.True(summary.Errors == 0, progress.ErrorText);
        Assert.True(PosixFileSystem.LStat(Path.Combine(target, "inner")).IsDirectory);
        Assert.True(PosixFileSystem.LStat(Path.Combine(target, "top.txt")).IsRegular);
        Assert.Equal("restored", await File.ReadAllTextAsync(Path.Combine(target, "inner", "file.txt"), Ct));
        Assert.Equal("restored top", await File.ReadAllTextAsync(Path.Combine(target, "top.txt"), Ct));
        AssertSentinelUntouched();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task NeverWritesThroughASymlinkRestoredFromTheSnapshot(bool symlinkFirst)
    {
        // The tree names "a" twice: a symlink to the sentinel and a directory holding a file. Whichever comes
        // second is refused, so nothing can be written through the link.
        var inner = await _builder.TreeAsync(await _builder.FileAsync("file.txt", "through the link"u8.ToArray()));
        var link = RepositoryBuilder.Symlink(symlinkFirst ? "a" : "b", Path.Combine(_sentinel, "inner"));
        var dir = RepositoryBuilder.Dir(symlinkFirst ? "b" : "a", inner);
        var tree = new Tree([link, dir]);
        (symlinkFirst ? dir : link).NameText = "a";
        var root = await _builder.TreeAsync(tree);
        var target = _temp.Combine("target");

        var (summary, progress) = await RestoreAsync(root, target);

        Assert.Equal(1, summary.Errors);
        Assert.Contains("occurs more than once", progress.ErrorText, StringComparison.Ordinal);
        var restored = PosixFileSystem.LStat(Path.Combine(target, "a"));
        Assert.Equal(symlinkFirst, restored.IsSymlink);
        AssertSentinelUntouched();
    }

    [Fact]
    public async Task FileWithAFlippedByteIsNamedAndLeftOutTheRestIsRestored()
    {
        var ok = await _builder.FileAsync("ok.bin", SourceTree.Stream("ok", 300_000));
        await _builder.FlushAsync();
        var badContent = SourceTree.Stream("bad", 200_000);
        var bad = await _builder.FileAsync("bad.bin", badContent);
        await _builder.FlushAsync();
        var also = await _builder.FileAsync("also-ok.txt", "fine"u8.ToArray());
        var root = await _builder.TreeAsync(ok, bad, also);
        await _builder.FlushAsync();
        var blob = bad.Content![1];
        var pack = _builder.PackOf(blob);
        var packFile = _temp.Combine("repo", "data", pack.ToString()[..2], pack.ToString());
        File.SetUnixFileMode(packFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var bytes = await File.ReadAllBytesAsync(packFile, Ct);
        bytes[_builder.OffsetOf(blob) + 40] ^= 0x01;
        await File.WriteAllBytesAsync(packFile, bytes, Ct);
        var target = _temp.Combine("target");

        var (summary, progress) = await RestoreAsync(root, target);

        Assert.Equal(1, summary.Errors);
        var error = Assert.Single(progress.Errors);
        Assert.Equal("/bad.bin", error.Path);
        Assert.Contains("/bad.bin", error.Message, StringComparison.Ordinal);
        Assert.Contains(blob.ToString(), error.Message, StringComparison.Ordinal);
        Assert.False(PosixFileSystem.TryLStat(Path.Combine(target, "bad.bin"), out _, out _));
        Assert.Equal(SourceTree.Stream("ok", 300_000), await File.ReadAllBytesAsync(Path.Combine(target, "ok.bin"), Ct));
        Assert.Equal("fine", await File.ReadAllTextAsync(Path.Combine(target, "also-ok.txt"), Ct));
        AssertSentinelUntouched();
    }

    [Fact]
    public async Task FileWhosePackIsMissingIsNamedAndLeftOut()
    {
        var ok = await _builder.FileAsync("ok.txt", "fine"u8.ToArray());
        await _builder.FlushAsync();
        var gone = await _builder.FileAsync("gone.bin", SourceTree.Stream("gone", 150_000));
        var root = await _builder.TreeAsync(ok, gone);
        await _builder.FlushAsync();
        var pack = _builder.PackOf(gone.Content![0]);
        File.Delete(_temp.Combine("repo", "data", pack.ToString()[..2], pack.ToString()));
        var target = _temp.Combine("target");

        var (summary, progress) = await RestoreAsync(root, target);

        Assert.Equal(1, summary.Errors);
        Assert.Equal("/gone.bin", Assert.Single(progress.Errors).Path);
        Assert.False(File.Exists(Path.Combine(target, "gone.bin")));
        Assert.Equal("fine", await File.ReadAllTextAsync(Path.Combine(target, "ok.txt"), Ct));
    }

    [Fact]
    public async Task AbsurdSizesInATreeAreIgnored()
    {
        var file = await _builder.FileAsync("huge-claim.txt", "small"u8.ToArray());
        file.Size = ulong.MaxValue;
        file.Links = uint.MaxValue;
        var root = await _builder.TreeAsync(file);
        var target = _temp.Combine("target");

        var (summary, progress) = await RestoreAsync(root, target);

        Assert.True(summary.Errors == 0, progress.ErrorText);
        Assert.Equal("small", await File.ReadAllTextAsync(Path.Combine(target, "huge-claim.txt"), Ct));
    }
}
