using System.Globalization;

namespace Coffer.Cli.Rendering;

/// <summary>Byte counts as restic prints them: <c>1.234 MiB</c>, <c>512 B</c>.</summary>
internal static class ByteSize
{
    public static string Format(long bytes)
    {
        const double KiB = 1024, MiB = KiB * 1024, GiB = MiB * 1024, TiB = GiB * 1024;
        var b = (double)bytes;
        return b switch
        {
            >= TiB => string.Create(CultureInfo.InvariantCulture, $"{b / TiB:0.000} TiB"),
            >= GiB => string.Create(CultureInfo.InvariantCulture, $"{b / GiB:0.000} GiB"),
            >= MiB => string.Create(CultureInfo.InvariantCulture, $"{b / MiB:0.000} MiB"),
            >= KiB => string.Create(CultureInfo.InvariantCulture, $"{b / KiB:0.000} KiB"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
        };
    }

    public static string Duration(TimeSpan d) =>
        d.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)d.TotalHours}:{d.Minutes:00}:{d.Seconds:00}")
            : string.Create(CultureInfo.InvariantCulture, $"{(int)d.TotalMinutes}:{d.Seconds:00}");
}
