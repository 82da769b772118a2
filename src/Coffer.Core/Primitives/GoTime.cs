using System.Globalization;

namespace Coffer.Core.Primitives;

/// <summary>
/// An instant with nanosecond precision and the UTC offset it was written with: the value of a Go
/// <c>time.Time</c> in restic's JSON. <see cref="DateTimeOffset"/> keeps only 100 ns ticks, which would
/// break change detection and byte-identical re-encoding, so the nanoseconds are carried here.
/// </summary>
public readonly record struct GoTime(long UnixSeconds, int Nanoseconds, int OffsetSeconds) : IComparable<GoTime>
{
    private const long MinUnix = -62135596800; // 0001-01-01T00:00:00Z
    private const long MaxUnix = 253402300799; // 9999-12-31T23:59:59Z

    /// <summary>Builds a value from a <see cref="DateTimeOffset"/> (100 ns precision), keeping its offset.</summary>
    public static GoTime FromDateTimeOffset(DateTimeOffset value)
    {
        var unix = value.ToUnixTimeSeconds();
        var ticks = value.UtcTicks % TimeSpan.TicksPerSecond;
        return new GoTime(unix, (int)(ticks * 100), (int)value.Offset.TotalSeconds);
    }

    /// <summary>Builds a value from Unix seconds and nanoseconds, in the given offset.</summary>
    public static GoTime FromUnix(long seconds, long nanoseconds, TimeSpan offset)
    {
        seconds += Math.DivRem(nanoseconds, 1_000_000_000L, out var ns);
        if (ns < 0)
        {
            ns += 1_000_000_000L;
            seconds--;
        }
        return new GoTime(seconds, (int)ns, (int)offset.TotalSeconds);
    }

    /// <summary>The instant as a <see cref="DateTimeOffset"/> (nanoseconds truncated to 100 ns).</summary>
    public DateTimeOffset ToDateTimeOffset()
    {
        var clamped = Math.Clamp(UnixSeconds, MinUnix, MaxUnix);
        var utc = DateTimeOffset.FromUnixTimeSeconds(clamped).AddTicks(Nanoseconds / 100);
        var offset = TimeSpan.FromSeconds(OffsetSeconds);
        return offset.Ticks % TimeSpan.TicksPerMinute == 0 && Math.Abs(offset.TotalHours) <= 14 ? utc.ToOffset(offset) : utc;
    }

    /// <summary>The same instant shown in another zone.</summary>
    public GoTime InZone(TimeZoneInfo zone)
    {
        var offset = zone.GetUtcOffset(DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(UnixSeconds, MinUnix, MaxUnix)));
        return this with { OffsetSeconds = (int)offset.TotalSeconds };
    }

    /// <summary>Parses RFC 3339 with 0 to 9 fraction digits, as Go writes and reads it.</summary>
    public static GoTime Parse(string text)
    {
        if (!TryParse(text, out var value))
        {
            throw new FormatException($"not an RFC 3339 time: '{text}'");
        }
        return value;
    }

    /// <summary>Parses RFC 3339 with 0 to 9 fraction digits.</summary>
    public static bool TryParse(ReadOnlySpan<char> s, out GoTime value)
    {
        value = default;
        // YYYY-MM-DDThh:mm:ss
        if (s.Length < 20 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || s[13] != ':' || s[16] != ':')
        {
            return false;
        }
        if (!Digits(s[..4], out var year) || !Digits(s[5..7], out var month) || !Digits(s[8..10], out var day)
            || !Digits(s[11..13], out var hour) || !Digits(s[14..16], out var minute) || !Digits(s[17..19], out var second))
        {
            return false;
        }
        var pos = 19;
        long nanos = 0;
        if (s[pos] == '.' || s[pos] == ',')
        {
            pos++;
            var start = pos;
            while (pos < s.Length && char.IsAsciiDigit(s[pos]))
            {
                if (pos - start < 9)
                {
                    nanos = nanos * 10 + (s[pos] - '0');
                }
                pos++;
            }
            var digits = pos - start;
            if (digits == 0)
            {
                return false;
            }
            for (var i = digits; i < 9; i++)
            {
                nanos *= 10;
            }
        }
        if (pos >= s.Length)
        {
            return false;
        }
        int offset;
        if (s[pos] is 'Z' or 'z' && pos == s.Length - 1)
        {
            offset = 0;
        }
        else if ((s[pos] == '+' || s[pos] == '-') && s.Length - pos == 6 && s[pos + 3] == ':'
                 && Digits(s.Slice(pos + 1, 2), out var oh) && Digits(s.Slice(pos + 4, 2), out var om))
        {
            offset = (oh * 3600 + om * 60) * (s[pos] == '-' ? -1 : 1);
        }
        else
        {
            return false;
        }
        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(Math.Max(year, 1), month) || hour > 23 || minute > 59 || second > 60)
        {
            return false;
        }
        if (second == 60)
        {
            second = 59; // leap seconds: Go accepts them by normalising; keep the instant inside the minute
        }
        var local = new DateTime(Math.Max(year, 1), month, day, hour, minute, second, DateTimeKind.Unspecified);
        // Whole ticks, not TimeSpan.TotalSeconds: that double loses the last second for years far from 1970.
        var unix = (local.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerSecond - offset;
        value = new GoTime(unix, (int)nanos, offset);
        return true;
    }

    private static bool Digits(ReadOnlySpan<char> s, out int value)
    {
        value = 0;
        foreach (var c in s)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
            value = value * 10 + (c - '0');
        }
        return true;
    }

    /// <summary>Go's RFC 3339 form with nanoseconds: trailing zero digits removed, <c>Z</c> for offset 0.</summary>
    public override string ToString()
    {
        var local = DateTime.UnixEpoch.AddSeconds(Math.Clamp(UnixSeconds + OffsetSeconds, MinUnix, MaxUnix));
        var sb = new System.Text.StringBuilder(35);
        sb.Append(local.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture));
        if (Nanoseconds != 0)
        {
            sb.Append('.').Append(Nanoseconds.ToString("D9", CultureInfo.InvariantCulture).TrimEnd('0'));
        }
        if (OffsetSeconds == 0)
        {
            sb.Append('Z');
        }
        else
        {
            var abs = Math.Abs(OffsetSeconds);
            sb.Append(OffsetSeconds < 0 ? '-' : '+')
              .Append((abs / 3600).ToString("D2", CultureInfo.InvariantCulture)).Append(':')
              .Append((abs / 60 % 60).ToString("D2", CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    /// <summary>Local wall-clock form <c>yyyy-MM-dd HH:mm:ss</c> in this value's offset (restic's table form).</summary>
    public string ToShortString()
    {
        var local = DateTime.UnixEpoch.AddSeconds(Math.Clamp(UnixSeconds + OffsetSeconds, MinUnix, MaxUnix));
        return local.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
    }

    /// <summary>Orders by instant (offset ignored).</summary>
    public int CompareTo(GoTime other)
    {
        var c = UnixSeconds.CompareTo(other.UnixSeconds);
        return c != 0 ? c : Nanoseconds.CompareTo(other.Nanoseconds);
    }

    /// <summary>True when both denote the same instant, whatever their offsets.</summary>
    public bool SameInstant(GoTime other) => CompareTo(other) == 0;

    /// <summary>Ordering by instant.</summary>
    public static bool operator <(GoTime left, GoTime right) => left.CompareTo(right) < 0;

    /// <summary>Ordering by instant.</summary>
    public static bool operator >(GoTime left, GoTime right) => left.CompareTo(right) > 0;

    /// <summary>Ordering by instant.</summary>
    public static bool operator <=(GoTime left, GoTime right) => left.CompareTo(right) <= 0;

    /// <summary>Ordering by instant.</summary>
    public static bool operator >=(GoTime left, GoTime right) => left.CompareTo(right) >= 0;

    /// <summary>The current time in the local zone, from <paramref name="clock"/>.</summary>
    public static GoTime Now(TimeProvider clock)
    {
        var utc = clock.GetUtcNow();
        var offset = clock.LocalTimeZone.GetUtcOffset(utc);
        return FromDateTimeOffset(utc.ToOffset(offset));
    }
}
