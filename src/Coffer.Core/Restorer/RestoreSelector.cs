using Coffer.Core.Archiver.Filters;

namespace Coffer.Core.Restorer;

/// <summary>
/// Include and exclude patterns of restore, with restic 0.17's meaning: a pattern matches a path when it
/// matches the path or one of its parents, so an include selects the matching paths and everything below them
/// and an exclude removes them and everything below. With includes, a directory that leads to a possible match
/// is descended into (and created) without being selected itself. An exclude always wins. Paths are
/// slash-separated from the restored root (<c>/dir/file</c>). Immutable and thread-safe.
/// </summary>
public sealed class RestoreSelector
{
    private readonly PatternList _include;
    private readonly PatternList _includeInsensitive;
    private readonly PatternList _exclude;
    private readonly PatternList _excludeInsensitive;

    /// <summary>Creates a selector; empty lists mean "no such rule".</summary>
    public RestoreSelector(PatternList include, PatternList includeInsensitive, PatternList exclude, PatternList excludeInsensitive)
    {
        _include = include;
        _includeInsensitive = includeInsensitive;
        _exclude = exclude;
        _excludeInsensitive = excludeInsensitive;
    }

    /// <summary>Selects everything.</summary>
    public static RestoreSelector All { get; } = new(PatternList.Empty, PatternList.Empty, PatternList.Empty, PatternList.Empty);

    /// <summary>True when some include pattern is given.</summary>
    public bool HasIncludes => !_include.IsEmpty || !_includeInsensitive.IsEmpty;

    /// <summary>
    /// Builds a selector from pattern texts. Throws <see cref="ArgumentException"/> naming an invalid pattern.
    /// </summary>
    public static RestoreSelector Create(IEnumerable<string> include, IEnumerable<string> includeInsensitive, IEnumerable<string> exclude, IEnumerable<string> excludeInsensitive) =>
        new(PatternList.Parse(include, false), PatternList.Parse(includeInsensitive, true), PatternList.Parse(exclude, false), PatternList.Parse(excludeInsensitive, true));

    /// <summary>
    /// Whether <paramref name="path"/> is restored (<c>Selected</c>) and, for a directory, whether anything below it
    /// may be (<c>Descend</c>).
    /// </summary>
    public (bool Selected, bool Descend) Select(string path, bool isDirectory) => Select(System.Text.Encoding.UTF8.GetBytes(path), isDirectory);

    /// <inheritdoc cref="Select(string, bool)"/>
    public (bool Selected, bool Descend) Select(ReadOnlySpan<byte> path, bool isDirectory)
    {
        if (_exclude.Matches(path) || _excludeInsensitive.Matches(path))
        {
            return (false, false);
        }
        if (!HasIncludes)
        {
            return (true, isDirectory);
        }
        var selected = _include.Matches(path, out var childA) | _includeInsensitive.Matches(path, out var childB);
        return (selected, isDirectory && (selected || childA || childB));
    }
}
