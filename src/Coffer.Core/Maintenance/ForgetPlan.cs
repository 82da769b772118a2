using Coffer.Core.Model;
using Coffer.Core.Primitives;
using Coffer.Core.Retention;

namespace Coffer.Core.Maintenance;

/// <summary>
/// What a forget run decided, before anything is removed: per group with a policy, or the explicitly
/// named snapshots. <see cref="Remove"/> is everything to delete.
/// </summary>
public sealed record ForgetPlan(
    RetentionPolicy Policy,
    IReadOnlyList<ForgetGroupPlan> Groups,
    IReadOnlyList<Snapshot> Remove)
{
    /// <summary>True when snapshots were named explicitly (no policy was applied).</summary>
    public bool IsExplicit { get; init; }

    /// <summary>The ids to delete, sorted.</summary>
    public IReadOnlyList<SnapshotId> RemoveIds => Remove.Select(s => s.Id!.Value).Distinct().OrderBy(id => id.ToString(), StringComparer.Ordinal).ToList();
}
