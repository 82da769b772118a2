using Coffer.Core.Retention;

namespace Coffer.Core.Maintenance;

/// <summary>One group of a forget plan: its key and the policy's decision.</summary>
public sealed record ForgetGroupPlan(SnapshotGroupKey Key, RetentionResult Result);
