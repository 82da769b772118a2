using Coffer.Core.Model;

namespace Coffer.Core.Retention;

/// <summary>Why a snapshot is kept: the rules it matched, in restic's words, and the counters after it.</summary>
public sealed record KeepReason(Snapshot Snapshot, IReadOnlyList<string> Matches, RetentionCounters Counters);
