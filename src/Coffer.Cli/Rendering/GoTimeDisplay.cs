using System.Globalization;
using Coffer.Core.Primitives;

namespace Coffer.Cli.Rendering;

/// <summary>Times as Go's default <c>time.Time.String()</c> lays them out: <c>2006-01-02 15:04:05.999999999 -0700 MST</c>.</summary>
internal static class GoTimeDisplay
{
    public static string Long(GoTime time, TimeZoneInfo zone)
    {
        var local = time.InZone(zone);
        var text = local.ToShortString();
        if (local.Nanoseconds != 0)
        {
            text += "." + local.Nanoseconds.ToString("D9", CultureInfo.InvariantCulture).TrimEnd('0');
        }
        var abs = Math.Abs(local.OffsetSeconds);
        var offset = (local.OffsetSeconds < 0 ? "-" : "+") + (abs / 3600).ToString("D2", CultureInfo.InvariantCulture) + (abs / 60 % 60).ToString("D2", CultureInfo.InvariantCulture);
        // .NET has no zone abbreviations; Go prints the numeric offset when it has none either.
        return $"{text} {offset} {(local.OffsetSeconds == 0 ? "UTC" : offset)}";
    }
}
