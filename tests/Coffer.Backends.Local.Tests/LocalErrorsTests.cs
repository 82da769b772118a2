using Xunit;

namespace Coffer.Backends.Local.Tests;

/// <summary>How file system errors become backend errors.</summary>
public sealed class LocalErrorsTests
{
    [Fact]
    public void A_full_disk_says_no_space_left_on_device()
    {
        if (!File.Exists("/dev/full"))
        {
            Assert.Skip("/dev/full is not available");
        }
        using var full = File.OpenHandle("/dev/full", FileMode.Open, FileAccess.Write);
        var io = Assert.ThrowsAny<IOException>(() => RandomAccess.Write(full, new byte[4096], 0));

        var error = LocalErrors.Translate(io, "save data/ab/ab12");

        Assert.Equal("save data/ab/ab12: no space left on device", error.Message);
        Assert.False(error.IsTransient);
        Assert.Same(io, error.InnerException);
    }

    [Theory]
    [InlineData(4, true)]
    [InlineData(11, true)]
    [InlineData(110, true)]
    [InlineData(5, false)]
    [InlineData(30, false)]
    public void Only_interrupted_or_timed_out_calls_are_transient(int errno, bool transient)
    {
        var error = LocalErrors.Translate(new IOException("failure", errno), "read x");
        Assert.Equal(transient, error.IsTransient);
        Assert.StartsWith("read x: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Permission_problems_are_permanent()
    {
        var error = LocalErrors.Translate(new UnauthorizedAccessException("denied"), "delete locks/x");
        Assert.False(error.IsTransient);
        Assert.Contains("permission denied", error.Message, StringComparison.Ordinal);
    }
}
