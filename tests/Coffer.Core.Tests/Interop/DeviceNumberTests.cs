using Coffer.Core.Interop;

namespace Coffer.Core.Tests.Interop;

public sealed class DeviceNumberTests
{
    [Theory]
    [InlineData(1u, 3u, 259ul)]
    [InlineData(7u, 0u, 1792ul)]
    [InlineData(8u, 1u, 2049ul)]
    [InlineData(0x12345u, 0x6789ABu, 0x0001_2006_7893_45ABul)]
    [InlineData(0xFFFF_FFFFu, 0xFFFF_FFFFu, ulong.MaxValue)]
    public void Encode_MatchesGoLinuxDevT(uint major, uint minor, ulong expected)
    {
        Assert.Equal(expected, DeviceNumber.Encode(major, minor));
        Assert.Equal(major, DeviceNumber.Major(expected));
        Assert.Equal(minor, DeviceNumber.Minor(expected));
    }

    [Theory]
    [InlineData(0u, 0u)]
    [InlineData(259u, 65537u)]
    [InlineData(0xABCDEu, 0x123u)]
    [InlineData(0x80000001u, 0x7FFFFFFEu)]
    public void Encode_AgreesWithGlibcMakedev(uint major, uint minor) =>
        Assert.Equal(NativeCrossCheck.MakeDev(major, minor), DeviceNumber.Encode(major, minor));
}
