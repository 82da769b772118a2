using Coffer.Core.Interop;

namespace Coffer.Core.Tests.Interop;

public sealed class PosixPathTests
{
    [Fact]
    public void Join_AddsOneSlash()
    {
        Assert.Equal("/a/b"u8.ToArray(), PosixPath.Join("/a"u8, "b"u8));
        Assert.Equal("/a/b"u8.ToArray(), PosixPath.Join("/a/"u8, "b"u8));
        Assert.Equal("/b"u8.ToArray(), PosixPath.Join("/"u8, "b"u8));
        Assert.Equal("b"u8.ToArray(), PosixPath.Join(""u8, "b"u8));
        Assert.Equal(new byte[] { (byte)'d', (byte)'/', 0xFF, 0xFE }, PosixPath.Join("d"u8, [0xFF, 0xFE]));
    }

    [Fact]
    public void DisplayString_ReplacesInvalidBytes()
    {
        Assert.Equal("bad\uFFFD\uFFFD.txt", PosixPath.ToDisplayString([(byte)'b', (byte)'a', (byte)'d', 0xFF, 0xFE, (byte)'.', (byte)'t', (byte)'x', (byte)'t']));
        Assert.False(PosixPath.IsValidUtf8([0xFF]));
        Assert.True(PosixPath.IsValidUtf8(PosixPath.FromString("grüße-日本語")));
    }

    [Theory]
    [InlineData("a", true)]
    [InlineData("..a", true)]
    [InlineData("", false)]
    [InlineData(".", false)]
    [InlineData("..", false)]
    [InlineData("a/b", false)]
    [InlineData("a\0b", false)]
    public void IsSingleComponent(string name, bool expected) =>
        Assert.Equal(expected, PosixPath.IsSingleComponent(PosixPath.FromString(name)));

    [Fact]
    public void NulInsideAPath_IsRefused() =>
        Assert.Throws<ArgumentException>(() => PosixFileSystem.LStat("/tmp/a\0b"));

    [Fact]
    public void LongPaths_LeaveTheStackBuffer()
    {
        // Longer than the stack buffer, shorter than PATH_MAX: must reach the kernel intact.
        var path = "/" + string.Join('/', Enumerable.Repeat("x", 400)) + "/" + new string('y', 200);
        var e = Assert.Throws<PosixException>(() => PosixFileSystem.LStat(path));
        Assert.Equal(PosixErrors.NoEntry, e.Errno);
        Assert.Equal(path, e.Path);
    }
}
