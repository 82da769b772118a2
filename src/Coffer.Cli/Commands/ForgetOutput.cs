using System.Text;
using Coffer.Cli.Rendering;
using Coffer.Core.Maintenance;
using Coffer.Core.Model;
using Coffer.Core.Primitives;
using Coffer.Core.Retention;

namespace Coffer.Cli.Commands;

/// <summary>Renders a forget plan as restic 0.14 does: tables per group, or its JSON array of groups.</summary>
internal static class ForgetOutput
{
    public static void WriteGroups(TextWriter output, ForgetPlan plan, bool compact, TimeZoneInfo zone)
    {
        foreach (var group in plan.Groups)
        {
            if (group.Key.Describe() is { Length: > 0 } heading)
            {
                output.WriteLine($"snapshots for ({heading}):");
            }
            var result = group.Result;
            if (result.Keep.Count > 0)
            {
                output.WriteLine($"keep {result.Keep.Count} snapshots:");
                var reasons = result.Reasons.ToDictionary(r => r.Snapshot.Id!.Value, r => r.Matches);
                SnapshotTable.Write(output, result.Keep, compact, zone, reasons);
                output.WriteLine();
            }
            if (result.Remove.Count > 0)
            {
                output.WriteLine($"remove {result.Remove.Count} snapshots:");
                SnapshotTable.Write(output, result.Remove, compact, zone);
                output.WriteLine();
            }
        }
    }

    /// <summary>
    /// restic's JSON: an array of <c>{"tags","host","paths","keep","remove","reasons"}</c>; empty lists are
    /// null as Go writes them. Snapshots show their paths sorted (and tags sorted when grouped by tags),
    /// as restic's grouping sorts them in place.
    /// </summary>
    public static string Json(ForgetPlan plan, GroupBy by)
    {
        var json = JsonLine.Build(w =>
        {
            w.WriteStartArray();
            foreach (var group in plan.Groups)
            {
                var shown = group.Result.Keep.Concat(group.Result.Remove).ToDictionary(s => s.Id!.Value, s => AsGrouped(s, by));
                w.WriteStartObject();
                w.WritePropertyName("tags"u8);
                WriteList(w, group.Key.Tags);
                w.WritePropertyName("host"u8);
                w.WriteString(group.Key.Hostname);
                w.WritePropertyName("paths"u8);
                WriteList(w, group.Key.Paths);
                w.WritePropertyName("keep"u8);
                WriteSnapshots(w, group.Result.Keep, shown);
                w.WritePropertyName("remove"u8);
                WriteSnapshots(w, group.Result.Remove, shown);
                w.WritePropertyName("reasons"u8);
                if (group.Result.Reasons.Count == 0)
                {
                    w.WriteNull();
                }
                else
                {
                    w.WriteStartArray();
                    foreach (var reason in group.Result.Reasons)
                    {
                        WriteReason(w, reason, shown[reason.Snapshot.Id!.Value]);
                    }
                    w.WriteEndArray();
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
        });
        return Encoding.UTF8.GetString(json);
    }

    private static Snapshot AsGrouped(Snapshot snapshot, GroupBy by)
    {
        var copy = Snapshot.Parse(snapshot.Encode());
        copy.Id = snapshot.Id;
        copy.Paths = snapshot.Paths.Order(StringComparer.Ordinal).ToArray();
        if (by.Tags)
        {
            copy.Tags = snapshot.Tags.Order(StringComparer.Ordinal).ToArray();
        }
        return copy;
    }

    private static void WriteSnapshots(GoJsonWriter w, IReadOnlyList<Snapshot> snapshots, Dictionary<SnapshotId, Snapshot> shown)
    {
        if (snapshots.Count == 0)
        {
            w.WriteNull();
            return;
        }
        w.WriteStartArray();
        foreach (var s in snapshots)
        {
            w.WriteRawValue(Encoding.UTF8.GetBytes(SnapshotJson.Object(shown[s.Id!.Value])));
        }
        w.WriteEndArray();
    }

    private static void WriteReason(GoJsonWriter w, KeepReason reason, Snapshot shown)
    {
        w.WriteStartObject();
        w.WritePropertyName("snapshot"u8);
        w.WriteRawValue(shown.Encode());
        w.WritePropertyName("matches"u8);
        WriteList(w, reason.Matches);
        w.WritePropertyName("counters"u8);
        w.WriteStartObject();
        var c = reason.Counters;
        foreach (var (name, value) in new[] { ("last", c.Last), ("hourly", c.Hourly), ("daily", c.Daily), ("weekly", c.Weekly), ("monthly", c.Monthly), ("yearly", c.Yearly) })
        {
            if (value != 0)
            {
                w.WritePropertyName(name);
                w.WriteNumber((long)value);
            }
        }
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteList(GoJsonWriter w, IReadOnlyList<string>? values)
    {
        if (values is null)
        {
            w.WriteNull();
            return;
        }
        w.WriteStartArray();
        foreach (var v in values)
        {
            w.WriteString(v);
        }
        w.WriteEndArray();
    }
}
