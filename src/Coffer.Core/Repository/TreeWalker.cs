using System.Text;
using Coffer.Core.Model;
using Coffer.Core.Primitives;

namespace Coffer.Core.Repository;

/// <summary>One node met during a walk, with its slash-separated path from the snapshot root as raw bytes.</summary>
public readonly record struct WalkedNode(byte[] Path, Node Node)
{
    /// <summary>The path as text (bytes that are not UTF-8 replaced), for matching and messages.</summary>
    public string PathText => Encoding.UTF8.GetString(Path);
}

/// <summary>
/// Walks a snapshot's trees depth-first in name order, yielding every node with its path. A
/// directory is entered only when <c>descend</c> says so. A tree that cannot be loaded is reported
/// by an exception naming it.
/// </summary>
public static class TreeWalker
{
    /// <summary>Walks from <paramref name="root"/>; paths start with "/".</summary>
    public static IAsyncEnumerable<WalkedNode> WalkAsync(Repository repository, BlobId root, Func<string, bool> descend, CancellationToken cancellationToken) =>
        WalkAsync(repository, root, [], descend, cancellationToken);

    private static async IAsyncEnumerable<WalkedNode> WalkAsync(Repository repository, BlobId treeId, byte[] prefix, Func<string, bool> descend,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var tree = await repository.LoadTreeAsync(treeId, cancellationToken).ConfigureAwait(false);
        foreach (var node in tree.Nodes)
        {
            var path = new byte[prefix.Length + 1 + node.Name.Length];
            prefix.CopyTo(path, 0);
            path[prefix.Length] = (byte)'/';
            node.Name.CopyTo(path, prefix.Length + 1);
            var walked = new WalkedNode(path, node);
            yield return walked;
            if (node.Type == NodeType.Dir && node.Subtree is BlobId sub && descend(walked.PathText))
            {
                await foreach (var inner in WalkAsync(repository, sub, path, descend, cancellationToken).ConfigureAwait(false))
                {
                    yield return inner;
                }
            }
        }
    }
}
