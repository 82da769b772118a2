using System.Text;

namespace Coffer.Core.Archiver.Filters;

/// <summary>
/// One compiled include/exclude pattern with restic's semantics, matched against absolute, slash-separated paths.
/// </summary>
/// <remarks>
/// <para>
/// The pattern text (after an optional leading <c>!</c>, see <see cref="IsNegated"/>) is cleaned like Go's
/// <c>filepath.Clean</c> (repeated and trailing slashes, <c>.</c> and <c>..</c> elements) and cut at slashes into
/// components. Each component is a <c>filepath.Match</c> glob matched against one path component; a component
/// that is exactly <c>**</c> matches any number of path components, including none.
/// </para>
/// <para>
/// A pattern starting with <c>/</c> is anchored at the root; any other pattern may start at any component of the
/// path. Either way the pattern only needs to match a leading part of what follows its start, so a pattern that
/// matches a directory also matches everything below it (<c>/home/*/work</c> matches <c>/home/user/work/a/b</c>,
/// <c>*.go</c> matches <c>/src/x.go/y</c>).
/// </para>
/// <para>
/// Paths are compared as UTF-8 bytes and are not cleaned. The <see cref="string"/> overloads encode the path as
/// UTF-8 (an unpaired surrogate becomes U+FFFD); the byte overloads take the raw name bytes, so a path that is not
/// valid UTF-8 matches exactly as it does in restic (a <c>?</c> or class then consumes one invalid byte). With
/// <see cref="IsCaseInsensitive"/>, pattern and path are lower-cased (invariant culture) before matching; a
/// byte path is then decoded with U+FFFD replacement first.
/// </para>
/// <para>Instances are immutable and thread-safe.</para>
/// </remarks>
public sealed class PathPattern
{
    private const int StackBytes = 512;
    private const int StackComponents = 64;

    private readonly Part[] parts;
    private readonly int firstDoubleStar;
    private readonly bool onlyDoubleStars;

    private PathPattern(string text, bool negated, bool caseInsensitive, Part[] parts)
    {
        Text = text;
        IsNegated = negated;
        IsCaseInsensitive = caseInsensitive;
        this.parts = parts;
        firstDoubleStar = Array.FindIndex(parts, p => p.IsDoubleStar);
        onlyDoubleStars = Array.TrueForAll(parts, p => p.IsDoubleStar);
        IsAbsolute = parts[0].IsRoot;
    }

    /// <summary>The pattern as given, including a leading <c>!</c> and in its original case.</summary>
    public string Text { get; }

    /// <summary>Whether the pattern started with <c>!</c>: in a <see cref="PatternList"/> it cancels earlier matches.</summary>
    public bool IsNegated { get; }

    /// <summary>Whether the pattern is anchored at the root (starts with <c>/</c>).</summary>
    public bool IsAbsolute { get; }

    /// <summary>Whether pattern and paths are compared lower-cased (restic's <c>--iexclude</c>, <c>--iinclude</c>).</summary>
    public bool IsCaseInsensitive { get; }

    /// <summary>Compiles <paramref name="pattern"/>.</summary>
    /// <exception cref="ArgumentException">The pattern is empty or malformed; the message names it and the reason.</exception>
    public static PathPattern Parse(string pattern, bool caseInsensitive = false)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        if (!TryParse(pattern, caseInsensitive, out var result, out var error))
        {
            throw new ArgumentException($"invalid pattern \"{pattern}\": {error}");
        }
        return result;
    }

    /// <summary>Compiles <paramref name="pattern"/>, or returns false with the reason in <paramref name="error"/>.</summary>
    public static bool TryParse(
        string pattern,
        bool caseInsensitive,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out PathPattern? result,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        result = null;
        if (pattern.Length == 0)
        {
            error = "empty pattern";
            return false;
        }
        error = null;
        var body = caseInsensitive ? pattern.ToLowerInvariant() : pattern;
        var negated = body[0] == '!';
        if (negated)
        {
            body = body[1..];
        }
        var cleaned = SlashPath.Clean(body);
        var pieces = cleaned.Split('/');
        var compiled = new Part[pieces.Length];
        for (var i = 0; i < pieces.Length; i++)
        {
            var piece = pieces[i];
            if (i == 0 && piece.Length == 0)
            {
                compiled[i] = Part.Root;
            }
            else if (piece.Length == 0 || piece == "**")
            {
                // Only the root pattern "/" leaves an empty piece after cleaning; restic treats it as "**" too.
                compiled[i] = Part.DoubleStar;
            }
            else if (piece.AsSpan().IndexOfAny("\\[]*?") < 0)
            {
                compiled[i] = Part.FromLiteral(Encoding.UTF8.GetBytes(piece));
            }
            else
            {
                var glob = GlobComponent.TryCompile(Encoding.UTF8.GetBytes(piece), out var globError);
                if (glob is null)
                {
                    error = globError ?? "malformed pattern";
                    return false;
                }
                compiled[i] = Part.FromGlob(glob);
            }
        }
        result = new PathPattern(pattern, negated, caseInsensitive, compiled);
        error = null;
        return true;
    }

    /// <summary>
    /// Whether the pattern matches <paramref name="path"/> or one of its parent directories. The leading <c>!</c>
    /// is ignored here; <see cref="PatternList"/> gives it meaning. An empty path never matches.
    /// </summary>
    public bool Matches(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Length == 0)
        {
            return false;
        }
        using var encoded = new EncodedPath(path, IsCaseInsensitive, stackalloc byte[StackBytes], stackalloc Range[StackComponents]);
        return Matches(encoded.Components);
    }

    /// <summary><see cref="Matches(string)"/> for a path given as raw (normally UTF-8) bytes.</summary>
    public bool Matches(ReadOnlySpan<byte> utf8Path)
    {
        if (utf8Path.IsEmpty)
        {
            return false;
        }
        using var encoded = new EncodedPath(utf8Path, IsCaseInsensitive, stackalloc byte[StackBytes], stackalloc Range[StackComponents]);
        return Matches(encoded.Components);
    }

    /// <summary>
    /// Whether something below the directory <paramref name="path"/> could match: always true for a pattern that
    /// is not anchored; for an anchored one, whether the path agrees with the pattern's components up to the first
    /// <c>**</c> (or as far as the shorter of the two goes). An empty path gives false.
    /// </summary>
    public bool ChildMayMatch(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Length == 0)
        {
            return false;
        }
        using var encoded = new EncodedPath(path, IsCaseInsensitive, stackalloc byte[StackBytes], stackalloc Range[StackComponents]);
        return ChildMayMatch(encoded.Components);
    }

    /// <summary><see cref="ChildMayMatch(string)"/> for a path given as raw (normally UTF-8) bytes.</summary>
    public bool ChildMayMatch(ReadOnlySpan<byte> utf8Path)
    {
        if (utf8Path.IsEmpty)
        {
            return false;
        }
        using var encoded = new EncodedPath(utf8Path, IsCaseInsensitive, stackalloc byte[StackBytes], stackalloc Range[StackComponents]);
        return ChildMayMatch(encoded.Components);
    }

    /// <inheritdoc/>
    public override string ToString() => Text;

    /// <summary>Matching on an already split (and, if needed, lower-cased) path.</summary>
    internal bool Matches(PathComponents path)
    {
        var n = path.Count;
        // An unanchored pattern never lines up with the root marker of an absolute path.
        var firstStart = !IsAbsolute && path.IsAbsolute ? 1 : 0;
        if (onlyDoubleStars)
        {
            // "**" must expand to at least one component to match anything.
            return n - firstStart >= 1;
        }

        // reach[j]: the parts seen so far can end just before component j.
        Span<bool> reach = n < 256 ? stackalloc bool[n + 1] : new bool[n + 1];
        reach.Clear();
        if (IsAbsolute)
        {
            reach[0] = true;
        }
        else
        {
            reach[firstStart..].Fill(true);
        }
        foreach (var part in parts)
        {
            var any = false;
            if (part.IsDoubleStar)
            {
                var first = reach.IndexOf(true);
                if (first >= 0)
                {
                    reach[first..].Fill(true);
                    any = true;
                }
            }
            else
            {
                for (var j = n - 1; j >= 0; j--)
                {
                    var next = reach[j] && part.Matches(path[j]);
                    reach[j + 1] = next;
                    any |= next;
                }
                reach[0] = false;
            }
            if (!any)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Child test on an already split (and, if needed, lower-cased) path.</summary>
    internal bool ChildMayMatch(PathComponents path)
    {
        if (!IsAbsolute)
        {
            return true;
        }
        var prefix = firstDoubleStar >= 0 ? firstDoubleStar : parts.Length;
        var count = Math.Min(prefix, path.Count);
        for (var i = 0; i < count; i++)
        {
            if (!parts[i].Matches(path[i]))
            {
                return false;
            }
        }
        return true;
    }

    private readonly record struct Part(bool IsRoot, bool IsDoubleStar, byte[]? Literal, GlobComponent? Glob)
    {
        public static Part Root => new(true, false, "/"u8.ToArray(), null);

        public static Part DoubleStar => new(false, true, null, null);

        public static Part FromLiteral(byte[] literal) => new(false, false, literal, null);

        public static Part FromGlob(GlobComponent glob) => new(false, false, null, glob);

        public bool Matches(ReadOnlySpan<byte> component) =>
            Glob is not null ? Glob.Matches(component) : component.SequenceEqual(Literal);
    }
}
