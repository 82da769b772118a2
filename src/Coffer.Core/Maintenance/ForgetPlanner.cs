using Coffer.Core.Model;
using Coffer.Core.Primitives;
using Coffer.Core.Retention;
using Repo = Coffer.Core.Repository.Repository;

namespace Coffer.Core.Maintenance;

/// <summary>
/// Builds a <see cref="ForgetPlan"/> (reads only). Explicitly named snapshots are removed as they are;
/// otherwise the matching snapshots are grouped and the policy applied to each group. An empty policy
/// removes nothing. A group the policy would empty completely is refused unless allowed.
/// </summary>
public static class ForgetPlanner
{
    /// <summary>Plans; throws <see cref="CofferException"/> for an invalid policy or a group that would be emptied.</summary>
    public static async Task<ForgetPlan> PlanAsync(Repo repository, ForgetRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(request);
        request.Policy.Validate();
        var snapshots = await request.Filter.SelectAsync(repository, request.SnapshotReferences, cancellationToken).ConfigureAwait(false);
        if (request.SnapshotReferences.Count > 0)
        {
            return new ForgetPlan(request.Policy, [], snapshots) { IsExplicit = true };
        }
        if (request.Policy.IsEmpty)
        {
            return new ForgetPlan(request.Policy, [], []);
        }
        var now = repository.Clock.GetUtcNow();
        var groups = SnapshotGroup.Build(snapshots, request.GroupBy)
            .Select(g => new ForgetGroupPlan(g.Key, RetentionEvaluator.Apply(g.Snapshots, request.Policy, now)))
            .ToList();
        if (!request.AllowEmptyGroups)
        {
            var emptied = groups.Where(g => g.Result.Keep.Count == 0 && g.Result.Remove.Count > 0).ToList();
            if (emptied.Count > 0)
            {
                var names = string.Join("; ", emptied.Select(g => g.Key.Describe() is { Length: > 0 } d ? $"({d})" : "(all snapshots)"));
                throw new CofferException(
                    $"refusing to remove all {emptied.Sum(g => g.Result.Remove.Count)} snapshots of {emptied.Count} group(s): {names}; the policy keeps none of them",
                    "check --keep-tag/--keep-within, add a --keep-last rule, or pass --force to remove them anyway");
            }
        }
        List<Snapshot> remove = [.. groups.SelectMany(g => g.Result.Remove)];
        return new ForgetPlan(request.Policy, groups, remove);
    }
}
