using System.Text;
using Coffer.Core.Archiver.Filters;
using Coffer.Core.Model;
using Coffer.Core.Packing;
using Coffer.Core.Primitives;
using Coffer.Storage;

namespace Coffer.Core.Restorer;

/// <summary>
/// restic's <c>find</c>: nodes whose path matches a pattern, or the files and directories that use given blob
/// or tree ids, in one snapshot at a time (trees walked depth-first in name order). A directory is entered
/// only when something below it can match; a subtree that held no match at a path is not walked again at
/// that path in a later snapshot. Not thread-safe: one search at a time per instance.
/// </summary>
public sealed class SnapshotFinder
{
    private readonly Repository.Repository _repository;
    private readonly FinderOptions? _options;
    private readonly PathPattern[] _patterns;
    private readonly HashSet<(BlobId Tree, string Path)> _barren = [];

    /// <summary>A finder for patterns (<see cref="FindAsync"/>); throws <see cref="CofferException"/> for a malformed pattern.</summary>
    public SnapshotFinder(Repository.Repository repository, FinderOptions options)
    {
        _repository = repository;
        _options = options;
        var patterns = new List<PathPattern>();
        foreach (var text in options.Patterns)
        {
            if (!PathPattern.TryParse(text, options.IgnoreCase, out var pattern, out var error))
            {
                throw new CofferException($"invalid pattern \"{text}\": {error}");
            }
            patterns.Add(pattern);
        }
        _patterns = [.. patterns];
    }

    /// <summary>A finder for blob and tree ids (<see cref="FindObjectsAsync"/>).</summary>
    public SnapshotFinder(Repository.Repository repository)
    {
        _repository = repository;
        _patterns = [];
    }

    /// <summary>Calls <paramref name="onMatch"/> for every matching node of the tree <paramref name="root"/>, in walk order.</summary>
    public Task FindAsync(BlobId root, Action<FinderMatch> onMatch, CancellationToken cancellationToken)
    {
        if (_options is null)
        {
            throw new InvalidOperationException("this finder was made for ids; use FindObjectsAsync");
        }
        return WalkAsync(root, [], onMatch, cancellationToken);
    }

    /// <summary>
    /// Calls <paramref name="onMatch"/> for every directory whose subtree and every file whose content holds a
    /// wanted id (a file is reported once, for the first wanted blob of its content).
    /// </summary>
    public async Task FindObjectsAsync(BlobId root, FinderObjectQuery query, Action<FinderObjectMatch> onMatch, CancellationToken cancellationToken)
    {
        var tree = await _repository.LoadTreeAsync(root, cancellationToken).ConfigureAwait(false);
        foreach (var node in tree.Nodes)
        {
            var path = Join([], node.Name);
            await VisitObjectsAsync(root, node, path, query, onMatch, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The ids of the blobs in the packs named by <paramref name="packs"/> (full ids or unique prefixes), read
    /// from the pack headers. Throws <see cref="CofferException"/> when a pack cannot be found.
    /// </summary>
    public async Task<List<BlobHandle>> BlobsOfPacksAsync(IEnumerable<string> packs, CancellationToken cancellationToken)
    {
        var result = new List<BlobHandle>();
        var all = await _repository.ListIdsAsync(FileType.Pack, cancellationToken).ConfigureAwait(false);
        var missing = new List<string>();
        foreach (var prefix in packs)
        {
            var lower = prefix.ToLowerInvariant();
            var matching = all.Where(id => id.ToString().StartsWith(lower, StringComparison.Ordinal)).ToList();
            if (matching.Count == 0)
            {
                missing.Add(prefix);
                continue;
            }
            foreach (var id in matching)
            {
                var blobs = await PackReader.ReadHeaderAsync(_repository.Backend, _repository.Key, new PackId(id), null, _repository.Config.SupportsCompression, cancellationToken).ConfigureAwait(false);
                result.AddRange(blobs.Select(b => b.Handle));
            }
        }
        if (missing.Count > 0)
        {
            throw new CofferException($"unable to find pack(s): [{string.Join(" ", missing)}]");
        }
        return result;
    }

    private async Task VisitObjectsAsync(BlobId parent, Node node, byte[] path, FinderObjectQuery query, Action<FinderObjectMatch> onMatch, CancellationToken cancellationToken)
    {
        if (node.Type == NodeType.File && query.WantsBlobs)
        {
            foreach (var id in node.Content ?? [])
            {
                if (query.MatchBlob(id))
                {
                    onMatch(new FinderObjectMatch(false, id, path, parent));
                    break;
                }
            }
            return;
        }
        if (node.Type != NodeType.Dir || node.Subtree is not { } subtree)
        {
            return;
        }
        if (query.WantsTrees && query.MatchTree(subtree))
        {
            onMatch(new FinderObjectMatch(true, subtree, path, parent));
        }
        var tree = await _repository.LoadTreeAsync(subtree, cancellationToken).ConfigureAwait(false);
        foreach (var child in tree.Nodes)
        {
            await VisitObjectsAsync(subtree, child, Join(path, child.Name), query, onMatch, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Walks one tree; returns whether anything at or below it matched.</summary>
    private async Task<bool> WalkAsync(BlobId treeId, byte[] prefix, Action<FinderMatch> onMatch, CancellationToken cancellationToken)
    {
        var tree = await _repository.LoadTreeAsync(treeId, cancellationToken).ConfigureAwait(false);
        var found = false;
        foreach (var node in tree.Nodes)
        {
            var path = Join(prefix, node.Name);
            var matched = false;
            foreach (var pattern in _patterns)
            {
                if (pattern.Matches(path))
                {
                    matched = true;
                    break;
                }
            }
            var shown = matched && InBounds(node);
            if (shown)
            {
                onMatch(new FinderMatch(path, node));
                found = true;
            }
            if (node.Type != NodeType.Dir || node.Subtree is not { } subtree)
            {
                continue;
            }
            // As restic: a shown directory is always entered; otherwise only when a child may match.
            if (!shown && !Array.Exists(_patterns, p => p.ChildMayMatch(path)))
            {
                continue;
            }
            var key = (subtree, Encoding.Latin1.GetString(path));
            if (_barren.Contains(key))
            {
                continue;
            }
            if (await WalkAsync(subtree, path, onMatch, cancellationToken).ConfigureAwait(false))
            {
                found = true;
            }
            else
            {
                _barren.Add(key);
            }
        }
        return found;
    }

    private bool InBounds(Node node) =>
        (_options!.Oldest is not { } oldest || node.ModTime >= oldest) && (_options.Newest is not { } newest || node.ModTime <= newest);

    private static byte[] Join(byte[] prefix, byte[] name)
    {
        var path = new byte[prefix.Length + 1 + name.Length];
        prefix.CopyTo(path, 0);
        path[prefix.Length] = (byte)'/';
        name.CopyTo(path, prefix.Length + 1);
        return path;
    }
}
