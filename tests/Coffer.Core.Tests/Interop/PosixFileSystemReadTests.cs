using System.Globalization;
using Coffer.Core.Interop;
using Coffer.Core.Primitives;

namespace Coffer.Core.Tests.Interop;

public sealed class PosixFileSystemReadTests : IDisposable
{
    private static readonly byte[] BadName = [(byte)'b', (byte)'a', (byte)'d', 0xFF, 0xFE, (byte)'.', (byte)'t', (byte)'x', (byte)'t'];

    private readonly ScratchDirectory scratch = new();

    public void Dispose() => scratch.Dispose();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private byte[] WriteFile(string name, string content, uint mode = 0x1A4)
    {
        var path = scratch.Combine(name);
        WriteFile(path, content, mode);
        return path;
    }

    private static void WriteFile(byte[] path, string content, uint mode = 0x1A4)
    {
        using (var handle = PosixFileSystem.CreateFile(path, mode))
        {
            RandomAccess.Write(handle, PosixPath.FromString(content), 0);
        }
        PosixFileSystem.Chmod(path, mode); // independent of the umask
    }

    [Fact]
    public void NonUtf8Name_ComesBackByteForByte()
    {
        WriteFile(scratch.Combine(BadName), "x");
        WriteFile("plain.txt", "y");
        PosixFileSystem.MakeDirectory(scratch.Combine("sub"), 0x1ED);

        var names = PosixFileSystem.ListDirectory(scratch.Path);

        Assert.Equal(3, names.Count);
        Assert.Contains(names, n => n.AsSpan().SequenceEqual(BadName));
        Assert.Contains(names, n => n.AsSpan().SequenceEqual("plain.txt"u8));
        Assert.Contains(names, n => n.AsSpan().SequenceEqual("sub"u8));
        Assert.True(PosixFileSystem.LStat(scratch.Combine(BadName)).IsRegular);
        Assert.Equal(1ul, PosixFileSystem.LStat(scratch.Combine(BadName)).Size);
    }

    [Fact]
    public void ListDirectory_OfEmptyDirectory_IsEmpty() =>
        Assert.Empty(PosixFileSystem.ListDirectory(scratch.PathText));

    [Fact]
    public void LStat_RegularFile_MatchesCoreutilsAndKeepsNanoseconds()
    {
        var path = WriteFile("file.txt", "hello", 0x1A4);
        var mtime = new GoTime(1_625_097_600, 123_456_789, 0);
        var atime = new GoTime(1_600_000_000, 1, 0);
        PosixFileSystem.SetTimes(path, atime, mtime, noFollow: false);

        var st = PosixFileSystem.LStat(path);

        Assert.True(st.IsRegular);
        Assert.False(st.IsDirectory || st.IsSymlink || st.IsFifo || st.IsSocket || st.IsCharDevice || st.IsBlockDevice);
        Assert.Equal(0x81A4u, st.Mode);
        Assert.Equal(0x1A4u, st.Permissions);
        Assert.Equal(5ul, st.Size);
        Assert.Equal(1ul, st.Links);
        Assert.Equal(0ul, st.RDev);
        Assert.True(mtime.SameInstant(st.ModTime), st.ModTime.ToString());
        Assert.Equal(123_456_789, st.ModTime.Nanoseconds);
        Assert.True(atime.SameInstant(st.AccessTime), st.AccessTime.ToString());
        Assert.True(st.ChangeTime.UnixSeconds > 1_700_000_000);

        var text = PosixPath.ToDisplayString(path);
        var expected = NativeCrossCheck.Stat("%i %d %h %u %g %f %s %Y", text).Split(' ');
        Assert.Equal(ulong.Parse(expected[0], CultureInfo.InvariantCulture), st.Inode);
        Assert.Equal(ulong.Parse(expected[1], CultureInfo.InvariantCulture), st.DeviceId);
        Assert.Equal(ulong.Parse(expected[2], CultureInfo.InvariantCulture), st.Links);
        Assert.Equal(uint.Parse(expected[3], CultureInfo.InvariantCulture), st.Uid);
        Assert.Equal(uint.Parse(expected[4], CultureInfo.InvariantCulture), st.Gid);
        Assert.Equal(uint.Parse(expected[5], NumberStyles.HexNumber, CultureInfo.InvariantCulture), st.Mode);
        Assert.Equal(ulong.Parse(expected[6], CultureInfo.InvariantCulture), st.Size);
        Assert.Equal(1_625_097_600L, long.Parse(expected[7], CultureInfo.InvariantCulture));
    }

    [Fact]
    public void LStat_TimesAreInTheLocalOffsetOfThatInstant()
    {
        var path = WriteFile("t", "");
        PosixFileSystem.SetTimes(path, new GoTime(1_000_000_000, 5, 0), new GoTime(1_500_000_000, 7, 3600), noFollow: true);

        var st = PosixFileSystem.LStat(path);

        var offset = TimeZoneInfo.Local.GetUtcOffset(DateTimeOffset.FromUnixTimeSeconds(1_500_000_000));
        Assert.Equal(new GoTime(1_500_000_000, 7, (int)offset.TotalSeconds), st.ModTime);
        Assert.Equal(1_000_000_000, st.AccessTime.UnixSeconds);
        Assert.Equal(5, st.AccessTime.Nanoseconds);
    }

    [Fact]
    public void LStat_Directory()
    {
        var path = scratch.Combine("dir");
        PosixFileSystem.MakeDirectory(path, 0x1ED);
        PosixFileSystem.Chmod(path, 0x3ED); // 01755: sticky

        var st = PosixFileSystem.LStat(path);

        Assert.True(st.IsDirectory);
        Assert.Equal(0x43EDu, st.Mode);
        Assert.Equal(2ul, st.Links);
        Assert.Equal(PosixFileSystem.LStat(scratch.Path).DeviceId, st.DeviceId);
        Assert.NotEqual(0ul, st.DeviceId);
    }

    [Fact]
    public void Symlink_IsNotFollowed_AndItsRawTargetComesBack()
    {
        byte[] target = [(byte)'t', 0xC3, 0x28, (byte)'/', 0xFF, (byte)'x']; // not UTF-8
        var link = scratch.Combine("link");
        PosixFileSystem.CreateSymlink(target, link);

        var st = PosixFileSystem.LStat(link);

        Assert.True(st.IsSymlink);
        Assert.Equal(0xA1FFu, st.Mode);
        Assert.Equal((ulong)target.Length, st.Size);
        Assert.Equal(1ul, st.Links);
        Assert.Equal(target, PosixFileSystem.ReadLink(link));
    }

    [Fact]
    public void ReadLink_OfALongTarget()
    {
        var target = PosixPath.FromString(string.Join('/', Enumerable.Repeat("abcdefghij", 300)));
        var link = scratch.Combine("long");
        PosixFileSystem.CreateSymlink(target, link);
        Assert.Equal(target, PosixFileSystem.ReadLink(link));
    }

    [Fact]
    public void ReadLink_OfAFile_IsEinval()
    {
        var path = WriteFile("f", "");
        var e = Assert.Throws<PosixException>(() => PosixFileSystem.ReadLink(path));
        Assert.Equal(PosixErrors.InvalidArgument, e.Errno);
        Assert.Equal("readlink", e.Operation);
    }

    [Fact]
    public async Task Fifo_LStatAndOpenWithoutBlocking()
    {
        var path = scratch.Combine("pipe");
        PosixFileSystem.MakeFifo(path, 0x1A4);
        PosixFileSystem.Chmod(path, 0x1A4);

        var st = PosixFileSystem.LStat(path);
        Assert.True(st.IsFifo);
        Assert.Equal(0x11A4u, st.Mode);

        // No writer exists: a blocking open would hang here forever (WaitAsync throws TimeoutException).
        using var handle = await Task.Run(() => PosixFileSystem.OpenRead(path), Token).WaitAsync(TimeSpan.FromSeconds(10), Token);
        Assert.True(PosixFileSystem.FStat(handle).IsFifo);
        Assert.Equal(st.Inode, PosixFileSystem.FStat(handle).Inode);
    }

    [Fact]
    public void CharDevice_RecordsRDevInGoEncoding()
    {
        var path = scratch.Combine("null");
        try
        {
            PosixFileSystem.MakeDevice(path, FileStatus.TypeCharDevice | 0x1A4, DeviceNumber.Encode(1, 3));
        }
        catch (PosixException e) when (e.Errno == PosixErrors.NotPermitted)
        {
            Assert.Skip("mknod needs CAP_MKNOD");
        }
        PosixFileSystem.Chmod(path, 0x1A4);

        var st = PosixFileSystem.LStat(path);

        Assert.True(st.IsCharDevice);
        Assert.Equal(0x21A4u, st.Mode);
        Assert.Equal(259ul, st.RDev);
        Assert.Equal(1ul, st.Links);
        Assert.Equal("1 3", NativeCrossCheck.Stat("%Hr %Lr", PosixPath.ToDisplayString(path)));
    }

    [Fact]
    public void BlockDevice_RecordsRDev()
    {
        var path = scratch.Combine("loop");
        try
        {
            PosixFileSystem.MakeDevice(path, FileStatus.TypeBlockDevice | 0x1A0, DeviceNumber.Encode(7, 0));
        }
        catch (PosixException e) when (e.Errno == PosixErrors.NotPermitted)
        {
            Assert.Skip("mknod needs CAP_MKNOD");
        }

        var st = PosixFileSystem.LStat(path);

        Assert.True(st.IsBlockDevice);
        Assert.Equal(1792ul, st.RDev);
    }

    [Fact]
    public void HardLinks_ShareTheInode()
    {
        var first = WriteFile("a", "data");
        var second = scratch.Combine("b");
        PosixFileSystem.CreateHardLink(first, second);

        var a = PosixFileSystem.LStat(first);
        var b = PosixFileSystem.LStat(second);

        Assert.Equal(a.Inode, b.Inode);
        Assert.Equal(a.DeviceId, b.DeviceId);
        Assert.Equal(2ul, a.Links);
        Assert.Equal(2ul, b.Links);
    }

    [Fact]
    public void OpenRead_ReadsAndMatchesLStat()
    {
        var path = WriteFile("r", "content");
        using var handle = PosixFileSystem.OpenRead(path);
        PosixFileSystem.AdviseSequential(handle);

        var buffer = new byte[16];
        var n = RandomAccess.Read(handle, buffer, 0);

        Assert.Equal("content"u8.ToArray(), buffer[..n]);
        Assert.Equal(PosixFileSystem.LStat(path), PosixFileSystem.FStat(handle));
        Assert.True(PosixFileSystem.AdviseDontNeed(handle, 0, 0));
    }

    [Fact]
    public void OpenRead_OfASymlink_IsEloop()
    {
        WriteFile("target", "x");
        var link = scratch.Combine("link");
        PosixFileSystem.CreateSymlink("target"u8, link);

        var e = Assert.Throws<PosixException>(() => PosixFileSystem.OpenRead(link));

        Assert.Equal(PosixErrors.Loop, e.Errno);
        Assert.Equal("open", e.Operation);
        Assert.Equal(PosixPath.ToDisplayString(link), e.Path);
    }

    [Fact]
    public void ListDirectory_OfASymlinkToADirectory_IsRefused()
    {
        var link = scratch.Combine("dirlink");
        PosixFileSystem.CreateSymlink(scratch.Path, link);
        // O_DIRECTORY|O_NOFOLLOW on a symlink: Linux reports ENOTDIR.
        var e = Assert.Throws<PosixException>(() => PosixFileSystem.ListDirectory(link));
        Assert.Equal(PosixErrors.NotDirectory, e.Errno);
    }

    [Fact]
    public void Errors_CarryErrnoPathAndText()
    {
        var missing = scratch.PathText + "/missing";

        var e = Assert.Throws<PosixException>(() => PosixFileSystem.LStat(missing));

        Assert.Equal(PosixErrors.NoEntry, e.Errno);
        Assert.Equal(missing, e.Path);
        Assert.Equal($"lstat {missing}: No such file or directory", e.Message);
        Assert.IsAssignableFrom<IOException>(e);
        Assert.False(PosixFileSystem.TryLStat(missing, out _, out var errno));
        Assert.Equal(PosixErrors.NoEntry, errno);

        var notDir = Assert.Throws<PosixException>(() => PosixFileSystem.ListDirectory(WriteFile("plain", "")));
        Assert.Equal(PosixErrors.NotDirectory, notDir.Errno);
    }

    [Fact]
    public void DirectoryHandles_ReadRelativeToTheOpenDirectory()
    {
        PosixFileSystem.MakeDirectory(scratch.Combine("d"), 0x1ED);
        WriteFile(scratch.Combine("d/" + "f"), "abc");
        WriteFile(PosixPath.Join(scratch.Combine("d"), BadName), "");

        using var root = PosixFileSystem.OpenDirectory(scratch.Path);
        using var dir = PosixFileSystem.OpenDirectoryAt(root, "d"u8);

        Assert.Equal(2, PosixFileSystem.ListDirectory(dir).Count);
        Assert.Equal(2, PosixFileSystem.ListDirectory(dir).Count); // the handle is still usable
        Assert.Equal(3ul, PosixFileSystem.LStatAt(dir, "f"u8).Size);
        Assert.True(PosixFileSystem.LStatAt(dir, BadName).IsRegular);
        using var file = PosixFileSystem.OpenReadAt(dir, "f"u8);
        Assert.Equal(3ul, PosixFileSystem.FStat(file).Size);
        Assert.Equal(PosixErrors.NoEntry, Assert.Throws<PosixException>(() => PosixFileSystem.LStatAt(dir, "nope"u8)).Errno);
    }
}
