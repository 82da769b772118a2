using System.CommandLine;
using Coffer.Core.Retention;

namespace Coffer.Cli.Commands;

/// <summary>restic's <c>--keep-*</c> options of <c>forget</c>.</summary>
internal sealed class ForgetPolicyOptions
{
    public Option<int> Last { get; } = new("--keep-last", "-l") { Description = "keep the last n snapshots (-1: all)" };
    public Option<int> Hourly { get; } = new("--keep-hourly", "-H") { Description = "keep the last n hourly snapshots (-1: all)" };
    public Option<int> Daily { get; } = new("--keep-daily", "-d") { Description = "keep the last n daily snapshots (-1: all)" };
    public Option<int> Weekly { get; } = new("--keep-weekly", "-w") { Description = "keep the last n weekly snapshots (-1: all)" };
    public Option<int> Monthly { get; } = new("--keep-monthly", "-m") { Description = "keep the last n monthly snapshots (-1: all)" };
    public Option<int> Yearly { get; } = new("--keep-yearly", "-y") { Description = "keep the last n yearly snapshots (-1: all)" };
    public Option<string?> Within { get; } = new("--keep-within") { Description = "keep snapshots that are newer than duration (eg. 1y5m7d2h) relative to the latest snapshot" };
    public Option<string?> WithinHourly { get; } = new("--keep-within-hourly") { Description = "keep hourly snapshots that are newer than duration (eg. 1y5m7d2h) relative to the latest snapshot" };
    public Option<string?> WithinDaily { get; } = new("--keep-within-daily") { Description = "keep daily snapshots that are newer than duration (eg. 1y5m7d2h) relative to the latest snapshot" };
    public Option<string?> WithinWeekly { get; } = new("--keep-within-weekly") { Description = "keep weekly snapshots that are newer than duration (eg. 1y5m7d2h) relative to the latest snapshot" };
    public Option<string?> WithinMonthly { get; } = new("--keep-within-monthly") { Description = "keep monthly snapshots that are newer than duration (eg. 1y5m7d2h) relative to the latest snapshot" };
    public Option<string?> WithinYearly { get; } = new("--keep-within-yearly") { Description = "keep yearly snapshots that are newer than duration (eg. 1y5m7d2h) relative to the latest snapshot" };
    public Option<string[]> KeepTag { get; } = new("--keep-tag") { Description = "keep snapshots with this taglist (can be specified multiple times)" };

    public void AddTo(Command command)
    {
        foreach (var o in new Option[] { Last, Hourly, Daily, Weekly, Monthly, Yearly, Within, WithinHourly, WithinDaily, WithinWeekly, WithinMonthly, WithinYearly, KeepTag })
        {
            command.Options.Add(o);
        }
    }

    public RetentionPolicy Build(ParseResult result) => new()
    {
        Last = result.GetValue(Last),
        Hourly = result.GetValue(Hourly),
        Daily = result.GetValue(Daily),
        Weekly = result.GetValue(Weekly),
        Monthly = result.GetValue(Monthly),
        Yearly = result.GetValue(Yearly),
        Within = ForgetCommand.ParseDuration(result.GetValue(Within), "--keep-within"),
        WithinHourly = ForgetCommand.ParseDuration(result.GetValue(WithinHourly), "--keep-within-hourly"),
        WithinDaily = ForgetCommand.ParseDuration(result.GetValue(WithinDaily), "--keep-within-daily"),
        WithinWeekly = ForgetCommand.ParseDuration(result.GetValue(WithinWeekly), "--keep-within-weekly"),
        WithinMonthly = ForgetCommand.ParseDuration(result.GetValue(WithinMonthly), "--keep-within-monthly"),
        WithinYearly = ForgetCommand.ParseDuration(result.GetValue(WithinYearly), "--keep-within-yearly"),
        KeepTags = (result.GetValue(KeepTag) ?? []).Select(RetentionPolicy.ParseTagList).ToList(),
    };
}
