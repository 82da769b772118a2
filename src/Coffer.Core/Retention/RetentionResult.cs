using Coffer.Core.Model;

namespace Coffer.Core.Retention;

/// <summary>
/// The outcome of a policy on one group. <see cref="Keep"/> and <see cref="Remove"/> are newest first;
/// <see cref="Reasons"/> has one entry per kept snapshot, in the order of <see cref="Keep"/>.
/// </summary>
public sealed record RetentionResult(IReadOnlyList<Snapshot> Keep, IReadOnlyList<Snapshot> Remove, IReadOnlyList<KeepReason> Reasons);
