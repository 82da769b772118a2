using Coffer.Core.Model;
using Coffer.Core.Primitives;

namespace Coffer.Core.Restorer;

/// <summary>
/// What a dump path names in a snapshot: a regular file (<see cref="Node"/> set) or a directory
/// (<see cref="Tree"/> set; <see cref="Node"/> is null for the snapshot's root).
/// </summary>
/// <param name="Path">The cleaned path inside the snapshot as raw bytes, starting with <c>/</c> (just <c>/</c> for the root).</param>
/// <param name="Node">The file or directory node; null for the root.</param>
/// <param name="Tree">The directory's tree; null for a file.</param>
public sealed record DumpSelection(byte[] Path, Node? Node, BlobId? Tree)
{
    /// <summary>True when the path names a directory (it is dumped as an archive).</summary>
    public bool IsDirectory => Tree is not null;
}
