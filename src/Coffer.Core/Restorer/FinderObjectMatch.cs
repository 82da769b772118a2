using Coffer.Core.Primitives;

namespace Coffer.Core.Restorer;

/// <summary>
/// Where <see cref="SnapshotFinder.FindObjectsAsync"/> met a wanted blob or tree: a file whose content holds
/// the data blob (<see cref="IsTree"/> false) or a directory whose subtree is the tree, with its path and the
/// tree that lists the node.
/// </summary>
/// <param name="IsTree">True for a tree id, false for a data blob id.</param>
/// <param name="Id">The full id found.</param>
/// <param name="Path">The node's path in the snapshot as raw bytes.</param>
/// <param name="ParentTree">The tree holding the node.</param>
public readonly record struct FinderObjectMatch(bool IsTree, BlobId Id, byte[] Path, BlobId ParentTree);
