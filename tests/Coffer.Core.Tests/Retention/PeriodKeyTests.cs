using System.Globalization;
using Coffer.Core.Primitives;
using Coffer.Core.Retention;

namespace Coffer.Core.Tests.Retention;

/// <summary>Period buckets against the BCL calendar and ISO week functions.</summary>
public sealed class PeriodKeyTests
{
    [Fact]
    public void BucketsMatchTheCalendarForEveryHourOverSeveralYears()
    {
        var start = new DateTime(1999, 12, 20, 0, 0, 0, DateTimeKind.Utc);
        for (var t = start; t < new DateTime(2006, 1, 10, 0, 0, 0, DateTimeKind.Utc); t = t.AddHours(7))
        {
            foreach (var offsetHours in new[] { 0, 5, -9 })
            {
                var local = t.AddHours(offsetHours);
                var time = GoTime.FromUnix(new DateTimeOffset(t).ToUnixTimeSeconds(), 0, TimeSpan.FromHours(offsetHours));
                Assert.Equal(local.Year * 1_000_000L + local.Month * 10_000 + local.Day * 100 + local.Hour, PeriodKey.Hour(time));
                Assert.Equal(local.Year * 10_000L + local.Month * 100 + local.Day, PeriodKey.Day(time));
                Assert.Equal(ISOWeek.GetYear(local) * 100L + ISOWeek.GetWeekOfYear(local), PeriodKey.Week(time));
                Assert.Equal(local.Year * 100L + local.Month, PeriodKey.Month(time));
                Assert.Equal(local.Year, PeriodKey.Year(time));
            }
        }
    }

    [Theory]
    [InlineData("2020-12-31T12:00:00Z", 202053)]
    [InlineData("2021-01-03T23:59:59Z", 202053)]
    [InlineData("2021-01-04T00:00:00Z", 202101)]
    [InlineData("2019-12-30T00:00:00Z", 202001)]
    [InlineData("2027-01-01T00:00:00Z", 202653)]
    public void IsoWeeks(string time, long expected) => Assert.Equal(expected, PeriodKey.Week(GoTime.Parse(time)));
}
