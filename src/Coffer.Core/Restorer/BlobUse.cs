namespace Coffer.Core.Restorer;

/// <summary>One place a blob's plaintext is written: a file and the offset in it.</summary>
internal readonly record struct BlobUse(PlannedEntry Entry, long Offset);
