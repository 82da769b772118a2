using System.Globalization;
using System.Text;
using Coffer.Core.Primitives;

namespace Coffer.Core.Retention;

/// <summary>
/// A calendar duration of years, months, days and hours, written like <c>1y2m3d4h</c> (restic's
/// <c>--keep-within</c> format). Units may come in any order; a unit given twice takes the last value.
/// </summary>
public readonly record struct RetentionDuration(int Years, int Months, int Days, int Hours)
{
    /// <summary>True when every part is zero (the rule is off).</summary>
    public bool IsZero => Years == 0 && Months == 0 && Days == 0 && Hours == 0;

    /// <summary>Parses <c>6y5m234d37h</c>; surrounding spaces are ignored, an empty text is zero.</summary>
    /// <exception cref="FormatException">A number without a unit, a unit without a number, or an unknown unit.</exception>
    public static RetentionDuration Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var s = text.Trim();
        int years = 0, months = 0, days = 0, hours = 0;
        var pos = 0;
        while (pos < s.Length)
        {
            var start = pos;
            if (s[pos] == '-')
            {
                pos++;
            }
            var digits = pos;
            while (pos < s.Length && char.IsAsciiDigit(s[pos]))
            {
                pos++;
            }
            if (pos == digits)
            {
                throw new FormatException($"invalid duration \"{text}\": no number found");
            }
            if (!int.TryParse(s.AsSpan(start, pos - start), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
            {
                throw new FormatException($"invalid duration \"{text}\": number out of range");
            }
            if (pos == s.Length)
            {
                throw new FormatException($"invalid duration \"{text}\": no unit found after number {n}");
            }
            switch (s[pos])
            {
                case 'y':
                    years = n;
                    break;
                case 'm':
                    months = n;
                    break;
                case 'd':
                    days = n;
                    break;
                case 'h':
                    hours = n;
                    break;
                default:
                    throw new FormatException($"invalid duration \"{text}\": invalid unit '{s[pos]}' found after number {n}");
            }
            pos++;
        }
        return new RetentionDuration(years, months, days, hours);
    }

    /// <summary>
    /// The instant this duration before <paramref name="time"/>: years, months and days are taken from
    /// the wall clock in the time's own offset and normalised as Go's <c>AddDate</c> does (March 31 minus
    /// one month is March 3 or 2), then the hours are subtracted.
    /// </summary>
    public GoTime Before(GoTime time)
    {
        var wall = time.UnixSeconds + time.OffsetSeconds;
        var days = Math.DivRem(wall, CivilDate.SecondsPerDay, out var secondOfDay);
        if (secondOfDay < 0)
        {
            secondOfDay += CivilDate.SecondsPerDay;
            days--;
        }
        var (y, m, d) = CivilDate.FromDays(days);
        long month0 = m - 1 - (long)Months;
        long year = y - (long)Years + Math.DivRem(month0, 12, out var monthRem);
        if (monthRem < 0)
        {
            monthRem += 12;
            year--;
        }
        var shiftedDays = CivilDate.ToDays(year, (int)monthRem + 1, 1) + (d - 1) - (long)Days;
        var unix = shiftedDays * CivilDate.SecondsPerDay + secondOfDay - time.OffsetSeconds - (long)Hours * 3600;
        return time with { UnixSeconds = unix };
    }

    /// <summary>restic's form: <c>1y2m3d4h</c> without the zero parts; empty when zero.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        Append(sb, Years, 'y');
        Append(sb, Months, 'm');
        Append(sb, Days, 'd');
        Append(sb, Hours, 'h');
        return sb.ToString();
    }

    private static void Append(StringBuilder sb, int value, char unit)
    {
        if (value != 0)
        {
            sb.Append(value.ToString(CultureInfo.InvariantCulture)).Append(unit);
        }
    }
}
