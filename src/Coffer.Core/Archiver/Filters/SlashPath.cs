using System.Text;

namespace Coffer.Core.Archiver.Filters;

/// <summary>
/// Lexical operations on slash-separated paths with the results of Go's <c>path/filepath</c> on Unix
/// (<c>Clean</c>, <c>Base</c>, <c>Dir</c>), which restic applies to patterns and entry paths.
/// </summary>
internal static class SlashPath
{
    /// <summary>
    /// Shortest equivalent path: repeated slashes collapse, <c>.</c> elements vanish, <c>..</c> removes the
    /// element before it (and is dropped directly below the root), a trailing slash goes; empty becomes <c>.</c>.
    /// </summary>
    public static string Clean(string path)
    {
        if (path.Length == 0)
        {
            return ".";
        }
        var rooted = path[0] == '/';
        var kept = new List<string>();
        var leadingDotDots = 0;
        foreach (var element in path.Split('/'))
        {
            if (element.Length == 0 || element == ".")
            {
                continue;
            }
            if (element == "..")
            {
                if (kept.Count > leadingDotDots)
                {
                    kept.RemoveAt(kept.Count - 1);
                }
                else if (!rooted)
                {
                    kept.Add("..");
                    leadingDotDots++;
                }
                continue;
            }
            kept.Add(element);
        }
        var joined = string.Join('/', kept);
        if (rooted)
        {
            return "/" + joined;
        }
        return joined.Length == 0 ? "." : joined;
    }

    /// <summary>Last element after trailing slashes are removed; <c>/</c> for the root, <c>.</c> for empty.</summary>
    public static string Base(string path)
    {
        if (path.Length == 0)
        {
            return ".";
        }
        var end = path.Length;
        while (end > 0 && path[end - 1] == '/')
        {
            end--;
        }
        if (end == 0)
        {
            return "/";
        }
        var start = path.LastIndexOf('/', end - 1) + 1;
        return path[start..end];
    }

    /// <summary>Everything before the last element, cleaned (Go's <c>filepath.Dir</c>).</summary>
    public static string Dir(string path)
    {
        var lastSlash = path.LastIndexOf('/');
        return Clean(path[..(lastSlash + 1)]);
    }

    /// <summary>Joins a directory and a name with one slash.</summary>
    public static string Join(string directory, string name)
    {
        if (directory.Length == 0)
        {
            return Clean(name);
        }
        var builder = new StringBuilder(directory.Length + name.Length + 1);
        builder.Append(directory).Append('/').Append(name);
        return Clean(builder.ToString());
    }
}
