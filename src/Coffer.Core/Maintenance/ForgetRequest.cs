using Coffer.Core.Repository;
using Coffer.Core.Retention;

namespace Coffer.Core.Maintenance;

/// <summary>
/// What <c>forget</c> should remove: either the snapshots named in <see cref="SnapshotReferences"/>
/// (ids, prefixes or <c>latest</c>), or, when none are named, what <see cref="Policy"/> does not keep in
/// each group of the snapshots passing <see cref="Filter"/>.
/// </summary>
public sealed record ForgetRequest
{
    /// <summary>Host, tag and path filter.</summary>
    public SnapshotFilter Filter { get; init; } = SnapshotFilter.None;

    /// <summary>Snapshots to remove outright; the policy is then not applied.</summary>
    public IReadOnlyList<string> SnapshotReferences { get; init; } = [];

    /// <summary>The keep rules.</summary>
    public RetentionPolicy Policy { get; init; } = new();

    /// <summary>How snapshots are grouped before the policy is applied to each group.</summary>
    public GroupBy GroupBy { get; init; } = GroupBy.Default;

    /// <summary>Allow a policy to remove every snapshot of a group (refused otherwise).</summary>
    public bool AllowEmptyGroups { get; init; }
}
