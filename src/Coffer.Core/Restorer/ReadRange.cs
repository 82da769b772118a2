namespace Coffer.Core.Restorer;

/// <summary>One ranged read of a pack: blobs <c>First</c> to <c>First + Count - 1</c> of a <see cref="PackWork"/>, which lie in [Start, Start + Length).</summary>
internal readonly record struct ReadRange(int First, int Count, long Start, int Length);
