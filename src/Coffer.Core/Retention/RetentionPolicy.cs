using System.Globalization;
using Coffer.Core.Model;
using Coffer.Core.Primitives;

namespace Coffer.Core.Retention;

/// <summary>
/// Which snapshots of a group to keep, with restic's <c>--keep-*</c> rules. A count of 0 turns its rule
/// off and -1 means unlimited; durations count back from the newest snapshot of the group.
/// </summary>
public sealed record RetentionPolicy
{
    /// <summary>Keep the newest n snapshots.</summary>
    public int Last { get; init; }

    /// <summary>Keep the newest snapshot of each of the last n hours that have snapshots.</summary>
    public int Hourly { get; init; }

    /// <summary>Keep the newest snapshot of each of the last n days that have snapshots.</summary>
    public int Daily { get; init; }

    /// <summary>Keep the newest snapshot of each of the last n ISO weeks that have snapshots.</summary>
    public int Weekly { get; init; }

    /// <summary>Keep the newest snapshot of each of the last n months that have snapshots.</summary>
    public int Monthly { get; init; }

    /// <summary>Keep the newest snapshot of each of the last n years that have snapshots.</summary>
    public int Yearly { get; init; }

    /// <summary>Keep every snapshot newer than this before the newest.</summary>
    public RetentionDuration Within { get; init; }

    /// <summary>Keep the newest snapshot of each hour within this duration.</summary>
    public RetentionDuration WithinHourly { get; init; }

    /// <summary>Keep the newest snapshot of each day within this duration.</summary>
    public RetentionDuration WithinDaily { get; init; }

    /// <summary>Keep the newest snapshot of each week within this duration.</summary>
    public RetentionDuration WithinWeekly { get; init; }

    /// <summary>Keep the newest snapshot of each month within this duration.</summary>
    public RetentionDuration WithinMonthly { get; init; }

    /// <summary>Keep the newest snapshot of each year within this duration.</summary>
    public RetentionDuration WithinYearly { get; init; }

    /// <summary>Keep every snapshot that has all tags of any one list. A list holding the empty tag matches snapshots without tags.</summary>
    public IReadOnlyList<IReadOnlyList<string>> KeepTags { get; init; } = [];

    /// <summary>True when no rule is set: such a policy removes nothing.</summary>
    public bool IsEmpty =>
        Last == 0 && Hourly == 0 && Daily == 0 && Weekly == 0 && Monthly == 0 && Yearly == 0
        && Within.IsZero && WithinHourly.IsZero && WithinDaily.IsZero && WithinWeekly.IsZero && WithinMonthly.IsZero && WithinYearly.IsZero
        && KeepTags.Count == 0;

    /// <summary>
    /// True when the rules that always keep the newest snapshot of a group (a count, or a within-period
    /// rule) are all off, so a group may lose every snapshot to the tag or within rules.
    /// </summary>
    public bool CanEmptyAGroup =>
        Last == 0 && Hourly == 0 && Daily == 0 && Weekly == 0 && Monthly == 0 && Yearly == 0;

    /// <summary>Splits a <c>--keep-tag</c> value: comma-separated tags, spaces around each removed.</summary>
    public static IReadOnlyList<string> ParseTagList(string value) =>
        value.Split(',').Select(t => t.Trim()).ToArray();

    /// <summary>Throws a <see cref="CofferException"/> for counts below -1.</summary>
    public void Validate()
    {
        foreach (var (name, count) in Counts())
        {
            if (count < -1)
            {
                throw new CofferException($"invalid value {count.ToString(CultureInfo.InvariantCulture)} for --keep-{name}: negative values other than -1 are not allowed",
                    "use -1 to keep all snapshots of that kind");
            }
        }
    }

    /// <summary>True if the snapshot has every tag of <paramref name="tags"/> (restic's rule: the empty tag matches a snapshot without tags).</summary>
    public static bool HasTags(Snapshot snapshot, IReadOnlyList<string> tags)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(tags);
        foreach (var tag in tags)
        {
            if (tag.Length == 0 && snapshot.Tags.Count == 0)
            {
                return true;
            }
            if (!snapshot.Tags.Contains(tag, StringComparer.Ordinal))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>restic's one-sentence description, e.g. <c>keep 3 latest, 7 daily snapshots and all snapshots within 1y of the newest</c>.</summary>
    public string Describe()
    {
        var counts = new List<string>();
        foreach (var (name, count) in new[] { ("latest", Last), ("hourly", Hourly), ("daily", Daily), ("weekly", Weekly), ("monthly", Monthly), ("yearly", Yearly) })
        {
            if (count > 0)
            {
                counts.Add($"{count.ToString(CultureInfo.InvariantCulture)} {name}");
            }
            else if (count == -1)
            {
                counts.Add($"all {name}");
            }
        }
        var within = new List<string>();
        foreach (var (name, d) in new[] { ("hourly", WithinHourly), ("daily", WithinDaily), ("weekly", WithinWeekly), ("monthly", WithinMonthly), ("yearly", WithinYearly) })
        {
            if (!d.IsZero)
            {
                within.Add($"{name} snapshots within {d}");
            }
        }
        var s = counts.Count > 0 ? string.Join(", ", counts) + " snapshots" : "";
        if (within.Count > 0)
        {
            s += (s.Length > 0 ? ", " : "") + string.Join(", ", within);
        }
        if (KeepTags.Count > 0)
        {
            s += (s.Length > 0 ? " and " : "") + "all snapshots with tags [" + string.Join(" ", KeepTags.Select(FormatTagList)) + "]";
        }
        if (!Within.IsZero)
        {
            s += (s.Length > 0 ? " and " : "") + $"all snapshots within {Within} of the newest";
        }
        return s.Length == 0 ? "remove" : "keep " + s;
    }

    /// <summary>A tag list as restic prints it: <c>[a, b]</c>.</summary>
    public static string FormatTagList(IReadOnlyList<string> tags) => "[" + string.Join(", ", tags) + "]";

    private IEnumerable<(string Name, int Count)> Counts() =>
        [("last", Last), ("hourly", Hourly), ("daily", Daily), ("weekly", Weekly), ("monthly", Monthly), ("yearly", Yearly)];
}
