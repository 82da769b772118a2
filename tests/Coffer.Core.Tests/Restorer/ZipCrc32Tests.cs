using System.IO.Compression;
using Coffer.Core.Restorer;

namespace Coffer.Core.Tests.Restorer;

/// <summary>The zip CRC-32 against known values and against the one System.IO.Compression checks on reading.</summary>
public sealed class ZipCrc32Tests
{
    [Fact]
    public void KnownVectors()
    {
        Assert.Equal(0u, ZipCrc32.Update(0, []));
        Assert.Equal(0xCBF43926u, ZipCrc32.Update(0, "123456789"u8));
        Assert.Equal(0x414FA339u, ZipCrc32.Update(0, "The quick brown fox jumps over the lazy dog"u8));
    }

    [Fact]
    public void IncrementalEqualsWhole()
    {
        var data = Coffer.Testing.SourceTree.Stream("crc", 10_007);
        var whole = ZipCrc32.Update(0, data);
        var crc = 0u;
        for (var i = 0; i < data.Length; i += 777)
        {
            crc = ZipCrc32.Update(crc, data.AsSpan(i, Math.Min(777, data.Length - i)));
        }
        Assert.Equal(whole, crc);
        var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var s = archive.CreateEntry("x").Open();
            s.Write(data);
        }
        zip.Position = 0;
        using var read = new ZipArchive(zip, ZipArchiveMode.Read);
        Assert.Equal(whole, read.GetEntry("x")!.Crc32);
    }
}
