using Coffer.Core.Primitives;

namespace Coffer.Core.Model;

/// <summary>Allocation-free UTF-8 forms of <see cref="GoTime"/>, equal to its string forms.</summary>
internal static class GoTimeText
{
    /// <summary>Longest RFC 3339 nanosecond form: <c>yyyy-MM-ddTHH:mm:ss.nnnnnnnnn+hh:mm</c>.</summary>
    public const int MaxLength = 35;

    private const long MinUnix = -62135596800; // 0001-01-01T00:00:00Z, as GoTime clamps
    private const long MaxUnix = 253402300799; // 9999-12-31T23:59:59Z

    /// <summary>Writes the RFC 3339 nanosecond form (as <see cref="GoTime.ToString"/>) and returns its length.</summary>
    public static int Format(GoTime value, Span<byte> destination)
    {
        var pos = FormatWallClock(value, destination, (byte)'T');
        if (value.Nanoseconds != 0)
        {
            destination[pos++] = (byte)'.';
            var ns = value.Nanoseconds;
            var digits = 9;
            while (ns % 10 == 0)
            {
                ns /= 10;
                digits--;
            }
            for (var i = digits - 1; i >= 0; i--)
            {
                destination[pos + i] = (byte)('0' + ns % 10);
                ns /= 10;
            }
            pos += digits;
        }
        if (value.OffsetSeconds == 0)
        {
            destination[pos++] = (byte)'Z';
        }
        else
        {
            var abs = Math.Abs(value.OffsetSeconds);
            destination[pos++] = value.OffsetSeconds < 0 ? (byte)'-' : (byte)'+';
            pos = Two(destination, pos, abs / 3600);
            destination[pos++] = (byte)':';
            pos = Two(destination, pos, abs / 60 % 60);
        }
        return pos;
    }

    /// <summary>
    /// Writes <c>yyyy-MM-dd?HH:mm:ss</c> of the wall clock in the value's own offset, with
    /// <paramref name="separator"/> between date and time, and returns its length (19).
    /// </summary>
    public static int FormatWallClock(GoTime value, Span<byte> destination, byte separator)
    {
        var local = Math.Clamp(value.UnixSeconds + value.OffsetSeconds, MinUnix, MaxUnix);
        var dt = new DateTime(DateTime.UnixEpoch.Ticks + local * TimeSpan.TicksPerSecond, DateTimeKind.Unspecified);
        var pos = Two(destination, 0, dt.Year / 100);
        pos = Two(destination, pos, dt.Year % 100);
        destination[pos++] = (byte)'-';
        pos = Two(destination, pos, dt.Month);
        destination[pos++] = (byte)'-';
        pos = Two(destination, pos, dt.Day);
        destination[pos++] = separator;
        pos = Two(destination, pos, dt.Hour);
        destination[pos++] = (byte)':';
        pos = Two(destination, pos, dt.Minute);
        destination[pos++] = (byte)':';
        return Two(destination, pos, dt.Second);
    }

    private static int Two(Span<byte> destination, int pos, int value)
    {
        destination[pos] = (byte)('0' + value / 10 % 10);
        destination[pos + 1] = (byte)('0' + value % 10);
        return pos + 2;
    }
}
