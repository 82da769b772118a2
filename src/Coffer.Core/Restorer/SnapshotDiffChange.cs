namespace Coffer.Core.Restorer;

/// <summary>
/// One line of restic's <c>diff</c>: a path (raw bytes, directories ending in <c>/</c>) and its modifier:
/// <c>+</c> added, <c>-</c> removed, <c>M</c> content changed (<c>M?</c> when nothing else changed: possible
/// bit rot), <c>T</c> type changed, <c>U</c> metadata changed (only with metadata shown).
/// </summary>
public readonly record struct SnapshotDiffChange(byte[] Path, string Modifier);
