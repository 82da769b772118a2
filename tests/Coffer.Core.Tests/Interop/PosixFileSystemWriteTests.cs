using Coffer.Core.Interop;
using Coffer.Core.Primitives;

namespace Coffer.Core.Tests.Interop;

public sealed class PosixFileSystemWriteTests : IDisposable
{
    private readonly ScratchDirectory scratch = new();

    public void Dispose() => scratch.Dispose();

    private byte[] EmptyFile(string name)
    {
        var path = scratch.Combine(name);
        PosixFileSystem.CreateFile(path, 0x1A4).Dispose();
        return path;
    }

    [Fact]
    public void Xattrs_SetListGet_InSetOrder()
    {
        var path = EmptyFile("x");
        try
        {
            PosixFileSystem.SetXattr(path, "user.comment", "hello"u8);
        }
        catch (PosixException e) when (e.Errno == PosixErrors.NotSupported)
        {
            Assert.Skip("the temp file system has no user xattrs");
        }
        byte[] binary = [0, 1, 0xFF, 0];
        PosixFileSystem.SetXattr(path, "user.binary", binary);
        PosixFileSystem.SetXattr(path, "user.empty", ReadOnlySpan<byte>.Empty);
        var big = new byte[3000];
        Random.Shared.NextBytes(big);
        PosixFileSystem.SetXattr(path, "user.big", big); // larger than the first read buffer

        var user = PosixFileSystem.ListXattrs(path).Where(x => x.Name.StartsWith("user.", StringComparison.Ordinal)).ToList();

        Assert.Equal(["user.comment", "user.binary", "user.empty", "user.big"], user.Select(x => x.Name));
        Assert.Equal("hello"u8.ToArray(), user[0].Value);
        Assert.Equal(binary, user[1].Value);
        Assert.Empty(user[2].Value);
        Assert.Equal(big, user[3].Value);

        PosixFileSystem.SetXattr(path, "user.comment", "replaced"u8);
        Assert.Equal("replaced"u8.ToArray(), PosixFileSystem.ListXattrs(path).Single(x => x.Name == "user.comment").Value);
    }

    [Fact]
    public void Xattrs_OfAPlainFile_HaveNoUserEntries() =>
        Assert.DoesNotContain(PosixFileSystem.ListXattrs(EmptyFile("plain")), x => x.Name.StartsWith("user.", StringComparison.Ordinal));

    [Fact]
    public void Xattrs_OfASymlink_AreItsOwn_NotTheTargets()
    {
        var target = EmptyFile("t");
        try
        {
            PosixFileSystem.SetXattr(target, "user.comment", "on target"u8);
        }
        catch (PosixException e) when (e.Errno == PosixErrors.NotSupported)
        {
            Assert.Skip("the temp file system has no user xattrs");
        }
        var link = scratch.Combine("l");
        PosixFileSystem.CreateSymlink("t"u8, link);

        Assert.DoesNotContain(PosixFileSystem.ListXattrs(link), x => x.Name == "user.comment");
    }

    [Fact]
    public void Xattrs_OfAMissingFile_Throw() =>
        Assert.Equal(PosixErrors.NoEntry, Assert.Throws<PosixException>(() => PosixFileSystem.ListXattrs(scratch.Combine("none"))).Errno);

    [Fact]
    public void SetTimes_NoFollow_SetsTheSymlinksOwnTimes()
    {
        var target = EmptyFile("t");
        var link = scratch.Combine("l");
        PosixFileSystem.CreateSymlink("t"u8, link);
        var before = PosixFileSystem.LStat(target).ModTime;

        PosixFileSystem.SetTimes(link, new GoTime(1_111_111_111, 999_999_999, 0), new GoTime(1_222_222_222, 1, 0), noFollow: true);

        var st = PosixFileSystem.LStat(link);
        Assert.Equal(1_222_222_222, st.ModTime.UnixSeconds);
        Assert.Equal(1, st.ModTime.Nanoseconds);
        Assert.Equal(999_999_999, st.AccessTime.Nanoseconds);
        Assert.True(before.SameInstant(PosixFileSystem.LStat(target).ModTime));
    }

    [Fact]
    public void Lchown_ChangesTheSymlinkNotTheTarget()
    {
        var target = EmptyFile("t");
        var link = scratch.Combine("l");
        PosixFileSystem.CreateSymlink("t"u8, link);
        try
        {
            PosixFileSystem.Lchown(link, 1234, 5678);
        }
        catch (PosixException e) when (e.Errno == PosixErrors.NotPermitted)
        {
            Assert.Skip("lchown needs CAP_CHOWN");
        }

        var l = PosixFileSystem.LStat(link);
        Assert.Equal(1234u, l.Uid);
        Assert.Equal(5678u, l.Gid);
        Assert.NotEqual(1234u, PosixFileSystem.LStat(target).Uid);
    }

    [Fact]
    public void Chmod_SetsSpecialBits()
    {
        var path = EmptyFile("s");
        PosixFileSystem.Chmod(path, 0xDED); // 06755

        Assert.Equal(0x8DEDu, PosixFileSystem.LStat(path).Mode);

        using var handle = PosixFileSystem.OpenRead(path);
        PosixFileSystem.Chmod(handle, 0x180); // 0600
        Assert.Equal(0x8180u, PosixFileSystem.LStat(path).Mode);
    }

    [Fact]
    public void CreateFile_RefusesExistingEntriesAndSymlinks()
    {
        var path = EmptyFile("f");
        Assert.Equal(PosixErrors.Exists, Assert.Throws<PosixException>(() => PosixFileSystem.CreateFile(path, 0x1A4)).Errno);

        var link = scratch.Combine("l");
        PosixFileSystem.CreateSymlink("f"u8, link);
        Assert.Equal(PosixErrors.Loop, Assert.Throws<PosixException>(() => PosixFileSystem.CreateFile(link, 0x1A4, exclusive: false)).Errno);

        using (var handle = PosixFileSystem.CreateFile(path, 0x1A4, exclusive: false))
        {
            RandomAccess.Write(handle, "abc"u8, 0);
            if (PosixFileSystem.Preallocate(handle, 4096))
            {
                Assert.Equal(4096ul, PosixFileSystem.FStat(handle).Size);
            }
        }
        using (PosixFileSystem.CreateFile(path, 0x1A4, exclusive: false))
        {
        }
        Assert.Equal(0ul, PosixFileSystem.LStat(path).Size); // truncated
    }

    [Fact]
    public void RenameUnlinkRemoveDirectory()
    {
        var from = EmptyFile("a");
        var to = scratch.Combine("b");
        PosixFileSystem.Rename(from, to);
        Assert.False(PosixFileSystem.TryLStat(from, out _, out _));
        PosixFileSystem.Unlink(to);
        Assert.Empty(PosixFileSystem.ListDirectory(scratch.Path));

        var dir = scratch.Combine("d");
        PosixFileSystem.MakeDirectory(dir, 0x1ED);
        Assert.Equal(PosixErrors.Exists, Assert.Throws<PosixException>(() => PosixFileSystem.MakeDirectory(dir, 0x1ED)).Errno);
        PosixFileSystem.RemoveDirectory(dir);
        Assert.Empty(PosixFileSystem.ListDirectory(scratch.Path));
    }

    [Fact]
    public void ProcessExists()
    {
        Assert.True(PosixProcess.Exists(Environment.ProcessId));
        Assert.True(PosixProcess.Exists(1));
        Assert.False(PosixProcess.Exists(0));
        Assert.False(PosixProcess.Exists(int.MaxValue));
    }

    [Fact]
    public async Task SignalDeliversToAChildAndReportsAMissingProcess()
    {
        using var child = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("sleep", "30") { UseShellExecute = false })!;
        PosixProcess.Signal(child.Id, 15);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await child.WaitForExitAsync(timeout.Token);
        Assert.Equal(128 + 15, child.ExitCode);
        Assert.Equal(PosixErrors.NoSuchProcess, Assert.Throws<PosixException>(() => PosixProcess.Signal(int.MaxValue, 0)).Errno);
        Assert.Throws<ArgumentOutOfRangeException>(() => PosixProcess.Signal(0, 15));
    }
}
