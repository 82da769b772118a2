using Coffer.Core.Model;
using Coffer.Core.Primitives;

namespace Coffer.Core.Retention;

/// <summary>
/// Applies a <see cref="RetentionPolicy"/> to one group of snapshots exactly as restic 0.14 does, with
/// -1 as "unlimited" as newer restic versions take it.
/// </summary>
/// <remarks>
/// Snapshots are sorted newest first (equal times keep their given order). For each snapshot: every
/// keep-tag list it satisfies keeps it; so does <c>within</c> when its time is after "newest minus the
/// duration", where the newest is the newest snapshot not in the future. Each count rule with budget
/// left keeps the snapshot when its period bucket differs from the bucket of the last snapshot that rule
/// kept, and spends one count; each within-period rule does the same without a count, for snapshots
/// after its own threshold. Buckets are read in the snapshot's own UTC offset.
/// </remarks>
public static class RetentionEvaluator
{
    private static readonly Func<GoTime, int, long>[] CountBuckets =
    [
        static (_, nr) => nr,
        static (t, _) => PeriodKey.Hour(t),
        static (t, _) => PeriodKey.Day(t),
        static (t, _) => PeriodKey.Week(t),
        static (t, _) => PeriodKey.Month(t),
        static (t, _) => PeriodKey.Year(t),
    ];

    private static readonly string[] CountReasons = ["last snapshot", "hourly snapshot", "daily snapshot", "weekly snapshot", "monthly snapshot", "yearly snapshot"];

    private static readonly Func<GoTime, long>[] WithinBuckets = [PeriodKey.Hour, PeriodKey.Day, PeriodKey.Week, PeriodKey.Month, PeriodKey.Year];

    private static readonly string[] WithinReasons = ["hourly within", "daily within", "weekly within", "monthly within", "yearly within"];

    /// <summary>
    /// Splits <paramref name="snapshots"/> into kept and removed. <paramref name="now"/> only excludes
    /// snapshots dated in the future from being "the newest". An empty policy keeps everything.
    /// </summary>
    public static RetentionResult Apply(IEnumerable<Snapshot> snapshots, RetentionPolicy policy, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(snapshots);
        ArgumentNullException.ThrowIfNull(policy);
        // OrderByDescending is a stable sort, as restic's sort.Stable.
        var list = snapshots.OrderByDescending(s => s.Time).ToList();
        if (policy.IsEmpty)
        {
            return new RetentionResult(list, [], list.Select(s => new KeepReason(s, ["policy is empty"], default)).ToList());
        }
        if (list.Count == 0)
        {
            return new RetentionResult([], [], []);
        }
        var counts = new[] { policy.Last, policy.Hourly, policy.Daily, policy.Weekly, policy.Monthly, policy.Yearly };
        var lastCount = new long?[counts.Length];
        var withins = new[] { policy.WithinHourly, policy.WithinDaily, policy.WithinWeekly, policy.WithinMonthly, policy.WithinYearly };
        var lastWithin = new long?[withins.Length];
        var newest = Newest(list, now);
        var withinThreshold = policy.Within.IsZero ? default : policy.Within.Before(newest);
        var thresholds = withins.Select(d => d.IsZero ? default : d.Before(newest)).ToArray();

        var keep = new List<Snapshot>();
        var remove = new List<Snapshot>();
        var reasons = new List<KeepReason>();
        for (var nr = 0; nr < list.Count; nr++)
        {
            var current = list[nr];
            var matches = new List<string>();
            foreach (var tags in policy.KeepTags)
            {
                if (RetentionPolicy.HasTags(current, tags))
                {
                    matches.Add("has tags " + RetentionPolicy.FormatTagList(tags));
                }
            }
            if (!policy.Within.IsZero && current.Time > withinThreshold)
            {
                matches.Add($"within {policy.Within}");
            }
            for (var i = 0; i < counts.Length; i++)
            {
                if (counts[i] > 0 || counts[i] == -1)
                {
                    var bucket = CountBuckets[i](current.Time, nr);
                    if (bucket != lastCount[i])
                    {
                        lastCount[i] = bucket;
                        if (counts[i] > 0)
                        {
                            counts[i]--;
                        }
                        matches.Add(CountReasons[i]);
                    }
                }
            }
            for (var i = 0; i < withins.Length; i++)
            {
                if (!withins[i].IsZero && current.Time > thresholds[i])
                {
                    var bucket = WithinBuckets[i](current.Time);
                    if (bucket != lastWithin[i])
                    {
                        lastWithin[i] = bucket;
                        matches.Add($"{WithinReasons[i]} {withins[i]}");
                    }
                }
            }
            if (matches.Count > 0)
            {
                keep.Add(current);
                reasons.Add(new KeepReason(current, matches, new RetentionCounters(counts[0], counts[1], counts[2], counts[3], counts[4], counts[5])));
            }
            else
            {
                remove.Add(current);
            }
        }
        return new RetentionResult(keep, remove, reasons);
    }

    /// <summary>The newest snapshot time that is not in the future (restic's reference for the within rules).</summary>
    private static GoTime Newest(List<Snapshot> list, DateTimeOffset now)
    {
        var nowTime = GoTime.FromDateTimeOffset(now);
        // Go's zero time, 0001-01-01 UTC, when every snapshot lies in the future.
        var newest = new GoTime(-62135596800, 0, 0);
        foreach (var s in list)
        {
            if (s.Time > newest && s.Time < nowTime)
            {
                newest = s.Time;
            }
        }
        return newest;
    }
}
