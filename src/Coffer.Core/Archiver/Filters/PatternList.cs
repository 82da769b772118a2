namespace Coffer.Core.Archiver.Filters;

/// <summary>
/// An ordered list of <see cref="PathPattern"/>s, as given by restic's <c>--exclude</c>/<c>--include</c>
/// family of options, with restic's rules for combining them.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="Matches(string)"/>: the last pattern that matches decides — a plain pattern makes the result true,
/// a negated (<c>!</c>) one false; no match gives false. As in restic (and gitignore), a negated pattern cannot
/// bring back an entry whose parent directory is already excluded, because the archiver never enters that
/// directory: <c>/home/**</c> followed by <c>!/home/user/keep</c> excludes <c>/home</c> itself, while
/// <c>/home/*</c> followed by <c>!/home/user</c> keeps <c>/home/user</c> and everything below it.
/// </para>
/// <para>
/// <see cref="ChildMayMatch(string)"/>: whether an entry below the directory could match (used by restore and
/// find with include patterns, to skip directories that can never contain a match). Each plain pattern that could
/// match below the path sets it; a later negated pattern that matches the path itself clears it.
/// </para>
/// <para>An empty list matches nothing and reports no possible child match. Immutable and thread-safe.</para>
/// </remarks>
public sealed class PatternList
{
    private const int StackBytes = 512;
    private const int StackComponents = 64;

    private readonly PathPattern[] patterns;
    private readonly bool hasNegated;

    private PatternList(PathPattern[] patterns, bool caseInsensitive)
    {
        this.patterns = patterns;
        IsCaseInsensitive = caseInsensitive;
        hasNegated = Array.Exists(patterns, p => p.IsNegated);
    }

    /// <summary>The list without patterns.</summary>
    public static PatternList Empty { get; } = new([], false);

    /// <summary>The compiled patterns, in order.</summary>
    public IReadOnlyList<PathPattern> Patterns => patterns;

    /// <summary>Whether there are no patterns.</summary>
    public bool IsEmpty => patterns.Length == 0;

    /// <summary>Whether all patterns compare lower-cased.</summary>
    public bool IsCaseInsensitive { get; }

    /// <summary>
    /// Compiles <paramref name="patterns"/> in order, skipping empty strings (restic ignores them). Other text is
    /// taken as it is: whitespace is significant and no variables are expanded (see <see cref="ReadPatternFile"/>).
    /// </summary>
    /// <exception cref="ArgumentException">At least one pattern is malformed; the message lists every bad pattern.</exception>
    public static PatternList Parse(IEnumerable<string> patterns, bool caseInsensitive)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        var compiled = new List<PathPattern>();
        var problems = new List<string>();
        foreach (var text in patterns)
        {
            if (string.IsNullOrEmpty(text))
            {
                continue;
            }
            if (PathPattern.TryParse(text, caseInsensitive, out var pattern, out var error))
            {
                compiled.Add(pattern);
            }
            else
            {
                problems.Add($"\"{text}\" ({error})");
            }
        }
        if (problems.Count > 0)
        {
            throw new ArgumentException("invalid pattern(s) provided: " + string.Join(", ", problems));
        }
        return new PatternList([.. compiled], caseInsensitive);
    }

    /// <summary>
    /// Reads patterns from a file the way restic reads <c>--exclude-file</c> and <c>--include-file</c>; see
    /// <see cref="PatternFile"/> for the rules.
    /// </summary>
    /// <param name="file">The file to read.</param>
    /// <param name="lookupVariable">Environment lookup for <c>$VAR</c>/<c>${VAR}</c> (null: unset); default: the process environment.</param>
    /// <exception cref="IOException">The file cannot be read; the message names it.</exception>
    public static IReadOnlyList<string> ReadPatternFile(string file, Func<string, string?>? lookupVariable = null) =>
        PatternFile.Read(file, lookupVariable);

    /// <summary>Whether <paramref name="path"/> is selected: the last matching pattern decides (see remarks).</summary>
    public bool Matches(string path) => Evaluate(path, out _, wantChild: false);

    /// <summary>Whether an entry below the directory <paramref name="path"/> could be selected (see remarks).</summary>
    public bool ChildMayMatch(string path)
    {
        Evaluate(path, out var childMayMatch, wantChild: true);
        return childMayMatch;
    }

    /// <summary>Both answers at once: returns <see cref="Matches(string)"/>, sets <see cref="ChildMayMatch(string)"/>.</summary>
    public bool Matches(string path, out bool childMayMatch) => Evaluate(path, out childMayMatch, wantChild: true);

    /// <summary><see cref="Matches(string, out bool)"/> for a path given as raw (normally UTF-8) bytes.</summary>
    public bool Matches(ReadOnlySpan<byte> utf8Path, out bool childMayMatch) => Evaluate(utf8Path, out childMayMatch, wantChild: true);

    /// <summary><see cref="Matches(string)"/> for a path given as raw (normally UTF-8) bytes.</summary>
    public bool Matches(ReadOnlySpan<byte> utf8Path) => Evaluate(utf8Path, out _, wantChild: false);

    private bool Evaluate(ReadOnlySpan<byte> utf8Path, out bool childMayMatch, bool wantChild)
    {
        childMayMatch = false;
        if (patterns.Length == 0 || utf8Path.IsEmpty)
        {
            return false;
        }
        using var encoded = new EncodedPath(utf8Path, IsCaseInsensitive, stackalloc byte[StackBytes], stackalloc Range[StackComponents]);
        return Evaluate(encoded.Components, out childMayMatch, wantChild);
    }

    private bool Evaluate(string path, out bool childMayMatch, bool wantChild)
    {
        ArgumentNullException.ThrowIfNull(path);
        childMayMatch = false;
        if (patterns.Length == 0 || path.Length == 0)
        {
            return false;
        }
        using var encoded = new EncodedPath(path, IsCaseInsensitive, stackalloc byte[StackBytes], stackalloc Range[StackComponents]);
        return Evaluate(encoded.Components, out childMayMatch, wantChild);
    }

    private bool Evaluate(PathComponents path, out bool childMayMatch, bool wantChild)
    {
        var matched = false;
        childMayMatch = false;
        foreach (var pattern in patterns)
        {
            var m = pattern.Matches(path);
            if (pattern.IsNegated)
            {
                matched &= !m;
                childMayMatch &= !m;
                continue;
            }
            matched |= m;
            childMayMatch |= !wantChild || pattern.ChildMayMatch(path);
            if (matched && childMayMatch && !hasNegated)
            {
                // Without negated patterns nothing can change the answer any more.
                break;
            }
        }
        return matched;
    }
}
