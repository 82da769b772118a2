using Coffer.Core.Primitives;

namespace Coffer.Core.Retention;

/// <summary>
/// The calendar period a snapshot time falls in, read from the wall clock in the snapshot's own UTC
/// offset, as numbers in restic's form: hour <c>YYYYMMDDHH</c>, day <c>YYYYMMDD</c>, ISO week
/// <c>YYYYWW</c> (the ISO week-numbering year), month <c>YYYYMM</c>, year <c>YYYY</c>.
/// </summary>
public static class PeriodKey
{
    /// <summary>The hour bucket, <c>YYYYMMDDHH</c>.</summary>
    public static long Hour(GoTime time)
    {
        var (days, second) = Wall(time);
        var (y, m, d) = CivilDate.FromDays(days);
        return y * 1_000_000 + m * 10_000 + d * 100 + second / 3600;
    }

    /// <summary>The day bucket, <c>YYYYMMDD</c>.</summary>
    public static long Day(GoTime time)
    {
        var (y, m, d) = CivilDate.FromDays(Wall(time).Days);
        return y * 10_000 + m * 100 + d;
    }

    /// <summary>The ISO week bucket, <c>YYYYWW</c>: weeks start on Monday, week 1 holds the year's first Thursday.</summary>
    public static long Week(GoTime time)
    {
        var days = Wall(time).Days;
        var thursday = days + (4 - CivilDate.IsoWeekday(days));
        var (year, _, _) = CivilDate.FromDays(thursday);
        var dayOfYear = thursday - CivilDate.ToDays(year, 1, 1);
        return year * 100 + dayOfYear / 7 + 1;
    }

    /// <summary>The month bucket, <c>YYYYMM</c>.</summary>
    public static long Month(GoTime time)
    {
        var (y, m, _) = CivilDate.FromDays(Wall(time).Days);
        return y * 100 + m;
    }

    /// <summary>The year bucket, <c>YYYY</c>.</summary>
    public static long Year(GoTime time) => CivilDate.FromDays(Wall(time).Days).Year;

    private static (long Days, long Second) Wall(GoTime time)
    {
        var wall = time.UnixSeconds + time.OffsetSeconds;
        var days = Math.DivRem(wall, CivilDate.SecondsPerDay, out var second);
        if (second < 0)
        {
            second += CivilDate.SecondsPerDay;
            days--;
        }
        return (days, second);
    }
}
