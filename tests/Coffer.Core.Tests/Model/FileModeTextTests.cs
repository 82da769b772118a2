using System.Text;
using Coffer.Core.Model;
using Xunit;

namespace Coffer.Core.Tests.Model;

public sealed class FileModeTextTests
{
    [Theory]
    [InlineData(0x8000_01EDu, "drwxr-xr-x")]
    [InlineData(0x0420_01A4u, "Dcrw-r--r--")]
    [InlineData(0x0400_01A0u, "Drw-r-----")]
    [InlineData(0x8040_01EDu, "dgrwxr-xr-x")]
    [InlineData(0x0080_01EDu, "urwxr-xr-x")]
    [InlineData(0x8010_01FFu, "dtrwxrwxrwx")]
    [InlineData(0x0800_01FFu, "Lrwxrwxrwx")]
    [InlineData(0x0200_01A4u, "prw-r--r--")]
    [InlineData(0x0180u, "-rw-------")]
    [InlineData(0u, "----------")]
    [InlineData(0xFFFF_FFFFu, "dalTLDpSugct?rwxrwxrwx")]
    public void Formats_like_go(uint mode, string text)
    {
        Assert.Equal(text, FileModeText.Format(mode));
    }

    [Fact]
    public void Every_mode_column_of_the_fixture_listings_is_reproduced()
    {
        var seen = 0;
        foreach (var dir in ModelFixture.ExpectedDirectories)
        {
            var modes = new Dictionary<string, uint>(StringComparer.Ordinal);
            foreach (var file in Directory.GetFiles(Path.Combine(dir, "ls"), "ls-json-*.txt"))
            {
                foreach (var line in ModelFixture.Lines(file).Skip(1))
                {
                    using var doc = System.Text.Json.JsonDocument.Parse(line);
                    var path = doc.RootElement.GetProperty("path").GetString()!;
                    modes[path] = doc.RootElement.TryGetProperty("mode", out var m) ? m.GetUInt32() : 0;
                    Assert.Equal(doc.RootElement.GetProperty("permissions").GetString(), FileModeText.Format(modes[path]));
                }
            }
            foreach (var file in Directory.GetFiles(Path.Combine(dir, "ls"), "ls-l-*.txt"))
            {
                foreach (var line in ModelFixture.Lines(file).Select(Encoding.UTF8.GetString))
                {
                    var column = line[..line.IndexOf(' ', StringComparison.Ordinal)];
                    var path = line[(line.IndexOf(" /", StringComparison.Ordinal) + 1)..].Split(" -> ")[0];
                    Assert.Equal(column, FileModeText.Format(modes[path]));
                    seen++;
                }
            }
        }
        Assert.True(seen > 30);
    }

    [Theory]
    [InlineData(0x81A4u, 420u)] // file 0644
    [InlineData(0x81EDu, 493u)] // file 0755
    [InlineData(0x8180u, 384u)] // file 0600
    [InlineData(0x89EDu, 8389101u)] // setuid 04755
    [InlineData(0x41EDu, 2147484141u)] // dir 0755
    [InlineData(0x43FFu, 2148532735u)] // sticky dir 01777
    [InlineData(0x45EDu, 2151678445u)] // setgid dir 02755
    [InlineData(0xA1FFu, 134218239u)] // symlink
    [InlineData(0x11A4u, 33554852u)] // fifo 0644
    [InlineData(0x61A0u, 67109280u)] // block device 0640
    [InlineData(0x21A4u, 69206436u)] // char device 0644
    [InlineData(0xC1EDu, 0x0100_01EDu)] // socket
    public void Posix_modes_convert_to_the_observed_go_modes_and_back(uint stMode, uint goMode)
    {
        Assert.Equal(goMode, GoFileMode.FromPosix(stMode));
        Assert.Equal(stMode, GoFileMode.ToPosix(goMode));
    }

    [Fact]
    public void Unknown_posix_type_is_irregular()
    {
        Assert.Equal(GoFileMode.Irregular | 0x1A4, GoFileMode.FromPosix(0xE1A4));
        Assert.Equal(0x1A4u, GoFileMode.ToPosix(GoFileMode.Irregular | 0x1A4));
    }
}
