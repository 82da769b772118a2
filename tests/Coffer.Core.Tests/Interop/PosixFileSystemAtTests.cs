using Coffer.Core.Interop;
using Coffer.Core.Primitives;

namespace Coffer.Core.Tests.Interop;

/// <summary>The directory-relative calls restore uses: nothing follows a symlink in place of a name.</summary>
public sealed class PosixFileSystemAtTests : IDisposable
{
    private readonly ScratchDirectory scratch = new();

    public void Dispose() => scratch.Dispose();

    [Fact]
    public void CreatesWritesAndReadsInsideAHeldDirectory()
    {
        using var dir = PosixFileSystem.OpenDirectory(scratch.Path);
        PosixFileSystem.MakeDirectoryAt(dir, "sub"u8, 0x1C0);
        using var sub = PosixFileSystem.TryOpenDirectoryAt(dir, "sub"u8, out var errno);
        Assert.NotNull(sub);
        Assert.Equal(0, errno);
        using (var file = PosixFileSystem.OpenWriteAt(sub, [.. "f"u8, 0xff], create: true))
        {
            PosixFileSystem.SetLength(file, 10);
            PosixFileSystem.WriteAt(file, "abc"u8, 7);
            PosixFileSystem.SetTimes(file, new GoTime(100, 5, 0), new GoTime(200, 7, 0));
        }
        var exclusive = Assert.Throws<PosixException>(() => PosixFileSystem.OpenWriteAt(sub, [.. "f"u8, 0xff], create: true));
        Assert.Equal(PosixErrors.Exists, exclusive.Errno);
        using (var read = PosixFileSystem.OpenReadAt(sub, [.. "f"u8, 0xff]))
        {
            var buffer = new byte[16];
            Assert.Equal(10, PosixFileSystem.ReadAt(read, buffer, 0));
            Assert.Equal([0, 0, 0, 0, 0, 0, 0, (byte)'a', (byte)'b', (byte)'c'], buffer[..10]);
        }
        Assert.True(PosixFileSystem.TryLStatAt(sub, [.. "f"u8, 0xff], out var status, out _));
        Assert.Equal((200L, 7), (status.ModTime.UnixSeconds, status.ModTime.Nanoseconds));
        PosixFileSystem.CreateHardLinkAt(sub, [.. "f"u8, 0xff], dir, "link"u8);
        Assert.Equal(2ul, PosixFileSystem.LStat(scratch.Combine("link")).Links);
        PosixFileSystem.MakeNodeAt(dir, "fifo"u8, FileStatus.TypeFifo | 0x180, 0);
        PosixFileSystem.ChmodAt(dir, "fifo"u8, 0x1A4);
        Assert.Equal(FileStatus.TypeFifo | 0x1A4, PosixFileSystem.LStat(scratch.Combine("fifo")).Mode);
        PosixFileSystem.UnlinkAt(dir, "link"u8, isDirectory: false);
        Assert.False(PosixFileSystem.TryLStatAt(dir, "link"u8, out _, out var gone));
        Assert.Equal(PosixErrors.NoEntry, gone);
    }

    [Fact]
    public void NeverFollowsASymlinkInPlaceOfAName()
    {
        using var outside = new ScratchDirectory();
        using var dir = PosixFileSystem.OpenDirectory(scratch.Path);
        PosixFileSystem.CreateSymlinkAt(outside.Path, dir, "to-dir"u8);
        PosixFileSystem.CreateSymlinkAt(outside.Combine("file"), dir, "to-file"u8);
        Assert.Equal(outside.Path, PosixFileSystem.ReadLinkAt(dir, "to-dir"u8));

        Assert.Null(PosixFileSystem.TryOpenDirectoryAt(dir, "to-dir"u8, out var errno));
        Assert.True(errno is PosixErrors.Loop or PosixErrors.NotDirectory);
        Assert.Equal(PosixErrors.Loop, Assert.Throws<PosixException>(() => PosixFileSystem.OpenWriteAt(dir, "to-file"u8, create: false)).Errno);
        Assert.Equal(PosixErrors.Exists, Assert.Throws<PosixException>(() => PosixFileSystem.OpenWriteAt(dir, "to-file"u8, create: true)).Errno);
        PosixFileSystem.SetTimesAt(dir, "to-dir"u8, new GoTime(1, 0, 0), new GoTime(2, 0, 0));
        Assert.Equal(2, PosixFileSystem.LStat(scratch.Combine("to-dir")).ModTime.UnixSeconds);
        Assert.NotEqual(2, PosixFileSystem.LStat(outside.Path).ModTime.UnixSeconds);
        Assert.Empty(PosixFileSystem.ListDirectory(outside.Path));
    }

    [Fact]
    public void UserAndGroupIdsByName()
    {
        Assert.Equal(0u, UserNames.Shared.UserId("root"));
        Assert.Equal(0u, UserNames.Shared.GroupId("root"));
        Assert.Null(UserNames.Shared.UserId("no-such-user-here"));
        Assert.Null(UserNames.Shared.GroupId(""));
        Assert.Equal(PosixFileSystem.EffectiveUserId == 0, Environment.UserName == "root");
    }
}
