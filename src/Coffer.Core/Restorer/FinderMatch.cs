using Coffer.Core.Model;

namespace Coffer.Core.Restorer;

/// <summary>A node found by <see cref="SnapshotFinder.FindAsync"/>, with its path in the snapshot as raw bytes (<c>/src/a.txt</c>).</summary>
public readonly record struct FinderMatch(byte[] Path, Node Node);
