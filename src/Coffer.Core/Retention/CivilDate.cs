namespace Coffer.Core.Retention;

/// <summary>
/// Proleptic Gregorian calendar arithmetic on day numbers (days since 1970-01-01) in 64-bit integers,
/// so any year a snapshot or a duration can produce works, with no <see cref="DateTime"/> range limit.
/// </summary>
internal static class CivilDate
{
    public const long SecondsPerDay = 86400;

    /// <summary>Year, month (1–12) and day (1–31) of a day number.</summary>
    public static (long Year, int Month, int Day) FromDays(long days)
    {
        // Howard Hinnant's civil_from_days.
        var z = days + 719468;
        var era = (z >= 0 ? z : z - 146096) / 146097;
        var doe = z - era * 146097;
        var yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        var y = yoe + era * 400;
        var doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        var mp = (5 * doy + 2) / 153;
        var d = (int)(doy - (153 * mp + 2) / 5 + 1);
        var m = (int)(mp < 10 ? mp + 3 : mp - 9);
        return (m <= 2 ? y + 1 : y, m, d);
    }

    /// <summary>The day number of a date; <paramref name="month"/> must be 1–12.</summary>
    public static long ToDays(long year, int month, int day)
    {
        var y = month <= 2 ? year - 1 : year;
        var era = (y >= 0 ? y : y - 399) / 400;
        var yoe = y - era * 400;
        var doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
        var doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146097 + doe - 719468;
    }

    /// <summary>ISO 8601 day of week: Monday 1 … Sunday 7.</summary>
    public static int IsoWeekday(long days)
    {
        // 1970-01-01 was a Thursday (4).
        var r = (days + 3) % 7;
        return (int)(r < 0 ? r + 7 : r) + 1;
    }
}
