using System.Text;
using Coffer.Core.Model;
using Coffer.Core.Primitives;

namespace Coffer.Core.Repository;

/// <summary>One node met during a walk, with its slash-separated path from the snapshot root.</summary>
public readonly record struct WalkedNode(string Path, Node Node);

/// <summary>
/// Walks a snapshot's trees depth-first in name order, yielding every node with its path. A
/// directory is entered only when <c>descend</c> says so. A tree that cannot be loaded is reported
/// by an exception naming it.
/// </summary>
public static class TreeWalker
{
    /// <summary>Walks from <paramref name="root"/>; paths start with "/".</summary>
    public static IAsyncEnumerable<WalkedNode> WalkAsync(Repository repository, BlobId root, Func<string, bool> descend, CancellationToken cancellationToken) =>
        WalkAsync(repository, root, "", descend, cancellationToken);

    private static async IAsyncEnumerable<WalkedNode> WalkAsync(Repository repository, BlobId treeId, string prefix, Func<string, bool> descend,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var tree = await repository.LoadTreeAsync(treeId, cancellationToken).ConfigureAwait(false);
        foreach (var node in tree.Nodes)
        {
            var path = prefix + "/" + DisplayName(node.Name);
            yield return new WalkedNode(path, node);
            if (node.Type == NodeType.Dir && node.Subtree is BlobId sub && descend(path))
            {
                await foreach (var inner in WalkAsync(repository, sub, path, descend, cancellationToken).ConfigureAwait(false))
                {
                    yield return inner;
                }
            }
        }
    }

    /// <summary>A node name as text for paths (invalid UTF-8 replaced).</summary>
    public static string DisplayName(byte[] name) => Encoding.UTF8.GetString(name);
}
