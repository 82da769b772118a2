using Coffer.Core.Model;
using Coffer.Core.Retention;

namespace Coffer.Core.Tests.Retention;

/// <summary>Each keep rule and their combinations, with restic 0.14's decisions and reason texts.</summary>
public sealed class RetentionEvaluatorTests
{
    private static readonly DateTimeOffset Now = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static RetentionResult Apply(RetentionPolicy policy, params Snapshot[] snapshots) => RetentionEvaluator.Apply(snapshots, policy, Now);

    /// <summary>One snapshot at 10:00 and 22:00 UTC of each day from <paramref name="first"/>, <paramref name="days"/> days.</summary>
    private static Snapshot[] TwicePerDay(DateOnly first, int days) =>
        Enumerable.Range(0, days).SelectMany(d =>
        {
            var day = first.AddDays(d).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            return new[] { Snapshots.Make($"{day}T10:00:00Z"), Snapshots.Make($"{day}T22:00:00Z") };
        }).ToArray();

    [Fact]
    public void KeepLastKeepsTheNewestAndCountsDown()
    {
        var all = TwicePerDay(new DateOnly(2022, 1, 1), 5);
        var r = Apply(new RetentionPolicy { Last = 3 }, all.Reverse().ToArray());
        Assert.Equal(["2022-01-05T22:00:00Z", "2022-01-05T10:00:00Z", "2022-01-04T22:00:00Z"], Snapshots.Times(r.Keep));
        Assert.Equal(7, r.Remove.Count);
        Assert.All(r.Reasons, x => Assert.Equal(["last snapshot"], x.Matches));
        Assert.Equal([2, 1, 0], r.Reasons.Select(x => x.Counters.Last));
        Assert.Equal("2022-01-04T10:00:00Z", r.Remove[0].Time.ToString());
    }

    [Fact]
    public void KeepDailyKeepsTheNewestOfEachDay()
    {
        var r = Apply(new RetentionPolicy { Daily = 3 }, TwicePerDay(new DateOnly(2022, 1, 1), 5));
        Assert.Equal(["2022-01-05T22:00:00Z", "2022-01-04T22:00:00Z", "2022-01-03T22:00:00Z"], Snapshots.Times(r.Keep));
        Assert.All(r.Reasons, x => Assert.Equal(["daily snapshot"], x.Matches));
        Assert.Equal([2, 1, 0], r.Reasons.Select(x => x.Counters.Daily));
    }

    [Fact]
    public void KeepHourlySeparatesHours()
    {
        var r = Apply(new RetentionPolicy { Hourly = 2 },
            Snapshots.Make("2022-01-01T10:05:00Z"), Snapshots.Make("2022-01-01T10:55:00Z"), Snapshots.Make("2022-01-01T11:01:00Z"), Snapshots.Make("2022-01-01T11:30:00Z"));
        Assert.Equal(["2022-01-01T11:30:00Z", "2022-01-01T10:55:00Z"], Snapshots.Times(r.Keep));
        Assert.Equal(["hourly snapshot"], r.Reasons[0].Matches);
    }

    [Fact]
    public void BucketsAreReadInTheSnapshotsOwnOffset()
    {
        // 23:30 and 00:30 UTC are different days in UTC but the same day at +05:00 (04:30 and 05:30).
        var utc = Apply(new RetentionPolicy { Daily = 5 }, Snapshots.Make("2022-01-01T23:30:00Z"), Snapshots.Make("2022-01-02T00:30:00Z"));
        Assert.Equal(2, utc.Keep.Count);
        var shifted = Apply(new RetentionPolicy { Daily = 5 }, Snapshots.Make("2022-01-02T04:30:00+05:00"), Snapshots.Make("2022-01-02T05:30:00+05:00"));
        Assert.Equal(["2022-01-02T05:30:00+05:00"], Snapshots.Times(shifted.Keep));
        // Negative offsets move a UTC new year back into the old year.
        var years = Apply(new RetentionPolicy { Yearly = 5 }, Snapshots.Make("2021-12-31T20:00:00-05:00"), Snapshots.Make("2021-12-31T23:00:00Z"));
        Assert.Equal(["2021-12-31T20:00:00-05:00"], Snapshots.Times(years.Keep));
    }

    [Fact]
    public void WeeksAreIsoWeeksAcrossTheYearBoundary()
    {
        // 2020-12-28 (Mon) … 2021-01-03 (Sun) are ISO week 2020-53; 2021-01-04 starts 2021-01.
        var r = Apply(new RetentionPolicy { Weekly = 10 },
            Snapshots.Make("2020-12-27T12:00:00Z"), Snapshots.Make("2020-12-28T12:00:00Z"), Snapshots.Make("2020-12-31T12:00:00Z"),
            Snapshots.Make("2021-01-03T12:00:00Z"), Snapshots.Make("2021-01-04T12:00:00Z"));
        Assert.Equal(["2021-01-04T12:00:00Z", "2021-01-03T12:00:00Z", "2020-12-27T12:00:00Z"], Snapshots.Times(r.Keep));
        Assert.Equal(["weekly snapshot"], r.Reasons[1].Matches);
    }

    [Fact]
    public void MonthlyAndYearlyAcrossYears()
    {
        var all = new[]
        {
            Snapshots.Make("2020-11-15T00:00:00Z"), Snapshots.Make("2020-12-01T00:00:00Z"), Snapshots.Make("2020-12-31T23:59:59Z"),
            Snapshots.Make("2021-01-01T00:00:00Z"), Snapshots.Make("2021-06-01T00:00:00Z"), Snapshots.Make("2022-02-01T00:00:00Z"),
        };
        var monthly = Apply(new RetentionPolicy { Monthly = 4 }, all);
        Assert.Equal(["2022-02-01T00:00:00Z", "2021-06-01T00:00:00Z", "2021-01-01T00:00:00Z", "2020-12-31T23:59:59Z"], Snapshots.Times(monthly.Keep));
        var yearly = Apply(new RetentionPolicy { Yearly = 2 }, all);
        Assert.Equal(["2022-02-01T00:00:00Z", "2021-06-01T00:00:00Z"], Snapshots.Times(yearly.Keep));
        var both = Apply(new RetentionPolicy { Monthly = 1, Yearly = 3 }, all);
        Assert.Equal(["2022-02-01T00:00:00Z", "2021-06-01T00:00:00Z", "2020-12-31T23:59:59Z"], Snapshots.Times(both.Keep));
        Assert.Equal(["monthly snapshot", "yearly snapshot"], both.Reasons[0].Matches);
        Assert.Equal(new RetentionCounters(0, 0, 0, 0, 0, 2), both.Reasons[0].Counters);
        Assert.Equal(["yearly snapshot"], both.Reasons[1].Matches);
    }

    [Fact]
    public void MinusOneMeansUnlimited()
    {
        var r = Apply(new RetentionPolicy { Daily = -1 }, TwicePerDay(new DateOnly(2022, 1, 1), 30));
        Assert.Equal(30, r.Keep.Count);
        Assert.All(r.Reasons, x => Assert.Equal(-1, x.Counters.Daily));
        Assert.Equal("keep all daily snapshots", new RetentionPolicy { Daily = -1 }.Describe());
    }

    [Fact]
    public void KeepWithinCountsFromTheNewestSnapshotNotFromNow()
    {
        var all = TwicePerDay(new DateOnly(2022, 1, 1), 10);
        var r = Apply(new RetentionPolicy { Within = RetentionDuration.Parse("2d") }, all);
        // Newest 2022-01-10T22:00; threshold 2022-01-08T22:00 (exclusive).
        Assert.Equal(["2022-01-10T22:00:00Z", "2022-01-10T10:00:00Z", "2022-01-09T22:00:00Z", "2022-01-09T10:00:00Z"], Snapshots.Times(r.Keep));
        Assert.All(r.Reasons, x => Assert.Equal(["within 2d"], x.Matches));
    }

    [Fact]
    public void KeepWithinSubtractsMonthsAsGoAddDateDoes()
    {
        // 2022-03-31 minus one month is "2022-02-31", which Go normalises to 2022-03-03.
        var r = Apply(new RetentionPolicy { Within = RetentionDuration.Parse("1m") },
            Snapshots.Make("2022-03-31T12:00:00Z"), Snapshots.Make("2022-03-03T12:00:01Z"), Snapshots.Make("2022-03-03T12:00:00Z"), Snapshots.Make("2022-03-01T00:00:00Z"));
        Assert.Equal(["2022-03-31T12:00:00Z", "2022-03-03T12:00:01Z"], Snapshots.Times(r.Keep));
    }

    [Fact]
    public void KeepWithinIgnoresSnapshotsInTheFutureAsTheReference()
    {
        var r = Apply(new RetentionPolicy { Within = RetentionDuration.Parse("1d") },
            Snapshots.Make("2040-01-01T00:00:00Z"), Snapshots.Make("2022-01-10T00:00:00Z"), Snapshots.Make("2022-01-09T12:00:00Z"), Snapshots.Make("2022-01-08T00:00:00Z"));
        Assert.Equal(["2040-01-01T00:00:00Z", "2022-01-10T00:00:00Z", "2022-01-09T12:00:00Z"], Snapshots.Times(r.Keep));
    }

    [Fact]
    public void KeepWithinPeriodRulesKeepOnePerPeriodInsideTheDuration()
    {
        var all = TwicePerDay(new DateOnly(2022, 1, 1), 10);
        var r = Apply(new RetentionPolicy { WithinDaily = RetentionDuration.Parse("3d"), WithinWeekly = RetentionDuration.Parse("1m") }, all);
        Assert.Equal(["2022-01-10T22:00:00Z", "2022-01-09T22:00:00Z", "2022-01-08T22:00:00Z", "2022-01-02T22:00:00Z"], Snapshots.Times(r.Keep));
        Assert.Equal(["daily within 3d", "weekly within 1m"], r.Reasons[0].Matches);
        Assert.Equal(["daily within 3d", "weekly within 1m"], r.Reasons[1].Matches);
        Assert.Equal(["daily within 3d"], r.Reasons[2].Matches);
        Assert.Equal(["weekly within 1m"], r.Reasons[3].Matches);
        Assert.Equal(new RetentionCounters(0, 0, 0, 0, 0, 0), r.Reasons[0].Counters);
    }

    [Fact]
    public void KeepTagNeedsAllTagsOfOneList()
    {
        var r = Apply(new RetentionPolicy { KeepTags = [["a", "b"], ["c"], [""]] },
            Snapshots.Make("2022-01-05T00:00:00Z", tags: ["a"]), Snapshots.Make("2022-01-04T00:00:00Z", tags: ["b", "a"]),
            Snapshots.Make("2022-01-03T00:00:00Z", tags: ["c", "a", "b"]), Snapshots.Make("2022-01-02T00:00:00Z"));
        Assert.Equal(["2022-01-04T00:00:00Z", "2022-01-03T00:00:00Z", "2022-01-02T00:00:00Z"], Snapshots.Times(r.Keep));
        Assert.Equal(["has tags [a, b]"], r.Reasons[0].Matches);
        Assert.Equal(["has tags [a, b]", "has tags [c]"], r.Reasons[1].Matches);
        Assert.Equal(["has tags []"], r.Reasons[2].Matches);
    }

    [Fact]
    public void RulesCombineAndListEveryReason()
    {
        var all = TwicePerDay(new DateOnly(2022, 1, 1), 10);
        all[0].Tags = ["keep"];
        var r = Apply(new RetentionPolicy { Last = 1, Daily = 2, KeepTags = [["keep"]], Within = RetentionDuration.Parse("13h") }, all);
        Assert.Equal(["has tags [keep]"], r.Reasons[^1].Matches);
        Assert.Equal(["within 13h", "last snapshot", "daily snapshot"], r.Reasons[0].Matches);
        Assert.Equal(["within 13h"], r.Reasons[1].Matches);
        Assert.Equal(["daily snapshot"], r.Reasons[2].Matches);
        Assert.Equal(4, r.Keep.Count);
    }

    [Fact]
    public void AnEmptyPolicyKeepsEverything()
    {
        var r = Apply(new RetentionPolicy(), TwicePerDay(new DateOnly(2022, 1, 1), 2));
        Assert.Equal(4, r.Keep.Count);
        Assert.All(r.Reasons, x => Assert.Equal(["policy is empty"], x.Matches));
    }

    [Fact]
    public void EqualTimesKeepTheirGivenOrder()
    {
        var a = Snapshots.Make("2022-01-01T00:00:00Z", host: "a");
        var b = Snapshots.Make("2022-01-01T00:00:00Z", host: "b");
        Assert.Same(a, Apply(new RetentionPolicy { Last = 1 }, a, b).Keep[0]);
        Assert.Same(b, Apply(new RetentionPolicy { Last = 1 }, b, a).Keep[0]);
    }

    [Fact]
    public void DescriptionIsResticsSentence()
    {
        Assert.Equal("keep 3 latest snapshots", new RetentionPolicy { Last = 3 }.Describe());
        Assert.Equal("keep 3 latest, 2 hourly, 7 daily, 4 weekly, 12 monthly, 10 yearly snapshots",
            new RetentionPolicy { Last = 3, Hourly = 2, Daily = 7, Weekly = 4, Monthly = 12, Yearly = 10 }.Describe());
        Assert.Equal("keep 2 daily snapshots, hourly snapshots within 1d, yearly snapshots within 5y and all snapshots with tags [[a, b] [c]] and all snapshots within 1y2m3d4h of the newest",
            new RetentionPolicy
            {
                Daily = 2,
                WithinHourly = RetentionDuration.Parse("1d"),
                WithinYearly = RetentionDuration.Parse("5y"),
                KeepTags = [["a", "b"], ["c"]],
                Within = RetentionDuration.Parse("1y2m3d4h"),
            }.Describe());
        Assert.Equal("keep all snapshots within 2d of the newest", new RetentionPolicy { Within = RetentionDuration.Parse("2d") }.Describe());
    }

    [Fact]
    public void CountsBelowMinusOneAreRejected()
    {
        var e = Assert.Throws<Coffer.Core.Primitives.CofferException>(() => new RetentionPolicy { Weekly = -2 }.Validate());
        Assert.Contains("--keep-weekly", e.Message, StringComparison.Ordinal);
        new RetentionPolicy { Weekly = -1 }.Validate();
    }
}
