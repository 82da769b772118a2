using System.CommandLine;
using Coffer.Core.Repository;

namespace Coffer.Cli.Commands;

/// <summary>restic's snapshot filter options: <c>--host</c>, <c>--tag</c>, <c>--path</c> (each repeatable).</summary>
internal sealed class SnapshotOptions(bool hostShortAlias = true)
{
    /// <summary><c>--host</c>, with the alias <c>-H</c> unless the command uses <c>-H</c> for something else (forget: <c>--keep-hourly</c>).</summary>
    public Option<string[]> Host { get; } = hostShortAlias
        ? new("--host", "-H") { Description = "only consider snapshots for this host (can be specified multiple times)", AllowMultipleArgumentsPerToken = false }
        : new("--host") { Description = "only consider snapshots for this host (can be specified multiple times)", AllowMultipleArgumentsPerToken = false };
    public Option<string[]> Tag { get; } = new("--tag") { Description = "only consider snapshots including tag[,tag,...] (can be specified multiple times)" };
    public Option<string[]> Path { get; } = new("--path") { Description = "only consider snapshots including this (absolute) path (can be specified multiple times)" };

    public void AddTo(Command command)
    {
        command.Options.Add(Host);
        command.Options.Add(Tag);
        command.Options.Add(Path);
    }

    public SnapshotFilter Filter(ParseResult result) =>
        SnapshotFilter.From(result.GetValue(Host), result.GetValue(Tag), result.GetValue(Path));
}
