using System.Text;

namespace Coffer.Core.Archiver;

/// <summary>
/// How backup targets map onto the snapshot's root tree (restic's rules): a relative target keeps its
/// relative components (<c>src/nested</c> → root/src/nested, with the real <c>src</c> directory's
/// metadata on the intermediate node); an absolute target keeps all components; <c>.</c> (or
/// <c>/</c>) puts the directory's contents straight into the root. Targets sharing a prefix share the
/// intermediate directories.
/// </summary>
internal sealed class TargetLayout
{
    /// <summary>A directory of the layout: either a real target, or an intermediate holding targets below it.</summary>
    internal sealed class Entry
    {
        public required byte[] RealPath { get; init; }
        public SortedDictionary<byte[], Entry> Children { get; } = new(ByteComparer.Instance);
        public bool IsTarget { get; set; }
    }

    private TargetLayout(Entry root, IReadOnlyList<string> absolutePaths)
    {
        Root = root;
        AbsolutePaths = absolutePaths;
    }

    /// <summary>The root: its children become the root tree's nodes; if it is a target itself, its contents do.</summary>
    public Entry Root { get; }

    /// <summary>The targets as absolute, cleaned paths (recorded in the snapshot), in the order given.</summary>
    public IReadOnlyList<string> AbsolutePaths { get; }

    public static TargetLayout Build(IReadOnlyList<string> targets, string workingDirectory)
    {
        var root = new Entry { RealPath = Encoding.UTF8.GetBytes(workingDirectory) };
        var absolute = new List<string>();
        foreach (var target in targets)
        {
            var full = Path.GetFullPath(target, workingDirectory);
            if (full.Length > 1)
            {
                full = full.TrimEnd('/');
            }
            if (!absolute.Contains(full, StringComparer.Ordinal))
            {
                absolute.Add(full);
            }
            var relative = !target.StartsWith('/') && !target.Split('/').Contains("..");
            var shown = relative ? Path.GetRelativePath(workingDirectory, full) : full;
            var components = shown.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(c => c != ".").ToArray();
            var entry = root;
            var real = relative ? workingDirectory.TrimEnd('/') : "";
            if (components.Length == 0)
            {
                root = new Entry { RealPath = Encoding.UTF8.GetBytes(full), IsTarget = true };
                continue;
            }
            foreach (var c in components)
            {
                real = real + "/" + c;
                var key = Encoding.UTF8.GetBytes(c);
                if (!entry.Children.TryGetValue(key, out var child))
                {
                    child = new Entry { RealPath = Encoding.UTF8.GetBytes(real) };
                    entry.Children.Add(key, child);
                }
                entry = child;
            }
            entry.IsTarget = true;
        }
        return new TargetLayout(root, absolute);
    }
}
