using System.Text;
using Coffer.Core.Archiver.Filters;

namespace Coffer.Core.Tests.Filters;

public sealed class PathPatternTests
{
    /// <summary>(pattern, path, expected) with restic's semantics.</summary>
    public static TheoryData<string, string, bool> Cases => new()
    {
        // Documented examples: relative patterns match at any depth.
        { "*.go", "/home/user/foo.go", true },
        { "*.go", "/foo.go", true },
        { "*.go", "/home/user/foo.c", false },
        { "*.go", "/src/x.go/inner.txt", true },
        { "foo", "/dir1/foo/dir2/file", true },
        { "foo", "/dir/foo", true },
        { "foo", "/dir/foobar", false },
        { "foo", "/dir/barfoo", false },
        { "bar/*.go", "/foo/bar/test.go", true },
        { "user/*/cache", "/home/user/x/cache/y", true },
        { "Foo.txt", "/foo.txt", false },
        { "foo bar star.txt", "/d/foo bar star.txt", true },

        // Anchored patterns, and matching a parent directory excludes the subtree.
        { "/home/*/work", "/home/user/work", true },
        { "/home/*/work", "/home/user/work/notes/a.txt", true },
        { "/home/*/work", "/home/user/play", false },
        { "/home/*/work", "/home/work", false },
        { "/home/*/work", "/srv/home/user/work", false },
        { "/bin", "/bin/bash", true },
        { "/bin", "/usr/bin/restic", false },
        { "/bar*", "/foo/bar/test.go", false },
        { "/foo/*", "/foo", false },
        { "/foo/*", "/foo/x", true },
        { "/*", "/foo/bar", true },

        // Cleaning of the pattern text.
        { "/foo/bar/", "/foo/bar", true },
        { "/foo///bar", "/foo/bar", true },
        { "/foo/./bar", "/foo/bar", true },
        { "/foo/../bar", "/bar", true },
        { "/foo/../bar", "/foo/bar", false },

        // Stars stay inside one component.
        { "b*ash", "/bin/bash", true },
        { "b*ash", "/bin/ash", false },
        { "*", "/anything", true },
        { "*.tar.*", "/b/x.tar.gz", true },
        { "*a*b*c", "/xaybzc", true },
        { "*a*b*c", "/xaybzcd", false },
        { "a*a*a", "/aaa", true },
        { "a*a*a", "/aa", false },

        // Double star: any number of components, including none.
        { "**", "/a/b/c", true },
        { "/**", "/foo", true },
        { "**/cache", "/var/cache", true },
        { "**/cache", "/cache", true },
        { "**/cache", "/home/u/.local/cache/x", true },
        { "**/cache", "/var/cached", false },
        { "foo/**/bar", "/foo/bar", true },
        { "foo/**/bar", "/tmp/foo/bar", true },
        { "foo/**/bar", "/x/foo/y/z/bar/file", true },
        { "foo/**/bar", "/foo/baz", false },
        { "foo/**/bar", "/bar/foo", false },
        { "/home/user/repos/**/target", "/home/user/repos/repo1/target", true },
        { "/home/user/repos/**/target", "/home/user/repos/a/b/target/debug", true },
        { "/home/user/repos/**/target", "/home/user/repos/target", true },
        { "/home/user/repos/**/target", "/home/user/repos/a/src", false },
        { "a/**/b/**/c", "/a/x/b/y/z/c", true },
        { "a/**/b/**/c", "/a/c/b", false },
        { "foo**", "/foobar", true },
        { "foo**", "/x/foo", true },

        // Question mark: exactly one character (rune).
        { "?.txt", "/a.txt", true },
        { "?.txt", "/ab.txt", false },
        { "?.txt", "/é.txt", true },

        // Character classes.
        { "file[a-c].txt", "/d/fileb.txt", true },
        { "file[a-c].txt", "/d/filed.txt", false },
        { "file[^a-c].txt", "/d/filed.txt", true },
        { "file[^a-c].txt", "/d/filea.txt", false },
        { "[a-cx-z]*", "/y1", true },
        { "[a-cx-z]*", "/m1", false },
        { "[*?]", "/*", true },
        { "[*?]", "/a", false },
        { "[à-ê]", "/é", true },
        { "x[\\]]y", "/x]y", true },
        { "[\\-]", "/-", true },
        // Go has no '!' negation inside a class: it is an ordinary member.
        { "file[!a].txt", "/d/file!.txt", true },
        { "file[!a].txt", "/d/filea.txt", true },
        { "file[!a].txt", "/d/fileb.txt", false },

        // Escapes and literal specials.
        { "\\*.txt", "/*.txt", true },
        { "\\*.txt", "/a.txt", false },
        { "a\\?b", "/a?b", true },
        { "a\\?b", "/axb", false },
        { "\\[x]", "/[x]", true },
        { "\\!important", "/!important", true },
        { "\\!important", "/important", false },
        { "a]b", "/a]b", true },
        { "*ü*", "/grün", true },

        // Relative paths are matched as given (restic allows them).
        { "baz/test.*", "bar/baz/test.go", true },
        { "/foo", "foo", false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Matches_like_restic(string pattern, string path, bool expected)
    {
        Assert.Equal(expected, PathPattern.Parse(pattern).Matches(path));
        Assert.Equal(expected, PathPattern.Parse(pattern).Matches(Encoding.UTF8.GetBytes(path)));
    }

    [Fact]
    public void Table_covers_at_least_sixty_cases() => Assert.True(Cases.Count >= 60);

    [Theory]
    [InlineData("*.JPG", "/Photos/a.jpg", true)]
    [InlineData("*.jpg", "/PHOTOS/A.JPG", true)]
    [InlineData("/Home/User", "/home/USER/x", true)]
    [InlineData("[A-C]*", "/b", true)]
    [InlineData("ÄRGER", "/d/ärger", true)]
    [InlineData("*.jpg", "/a.png", false)]
    public void Case_insensitive_patterns_lower_case_both_sides(string pattern, string path, bool expected)
    {
        var compiled = PathPattern.Parse(pattern, caseInsensitive: true);
        Assert.True(compiled.IsCaseInsensitive);
        Assert.Equal(expected, compiled.Matches(path));
        Assert.Equal(expected, compiled.Matches(Encoding.UTF8.GetBytes(path)));
    }

    [Fact]
    public void Case_sensitive_by_default() => Assert.False(PathPattern.Parse("*.JPG").Matches("/a.jpg"));

    [Theory]
    [InlineData("[")]
    [InlineData("a[")]
    [InlineData("[]")]
    [InlineData("[]a]")]
    [InlineData("[a-]")]
    [InlineData("[-a]")]
    [InlineData("[^]")]
    [InlineData("[a-b-c]")]
    [InlineData("[a")]
    [InlineData("[\\")]
    [InlineData("a\\")]
    [InlineData("*[")]
    [InlineData("/foo/bar[")]
    [InlineData("x/[b/y")]
    [InlineData("!a[")]
    [InlineData("")]
    public void Malformed_patterns_are_rejected_with_their_text(string pattern)
    {
        var e = Assert.Throws<ArgumentException>(() => PathPattern.Parse(pattern));
        Assert.Contains($"\"{pattern}\"", e.Message, StringComparison.Ordinal);
        Assert.False(PathPattern.TryParse(pattern, false, out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Theory]
    [InlineData("]")]
    [InlineData("a-b")]
    [InlineData("[a\\]]")]
    [InlineData("[[]")]
    [InlineData("!")]
    [InlineData("/")]
    public void Unusual_but_valid_patterns_compile(string pattern) => PathPattern.Parse(pattern);

    [Fact]
    public void Leading_exclamation_mark_marks_negation_and_is_not_part_of_the_match()
    {
        var p = PathPattern.Parse("!/home/user/keep");
        Assert.True(p.IsNegated);
        Assert.True(p.IsAbsolute);
        Assert.Equal("!/home/user/keep", p.Text);
        Assert.True(p.Matches("/home/user/keep"));
        Assert.False(PathPattern.Parse("*.go").IsAbsolute);
    }

    [Fact]
    public void Byte_overload_matches_names_that_are_not_utf8()
    {
        var path = new byte[] { (byte)'/', (byte)'d', (byte)'/', 0xFF, (byte)'.', (byte)'t', (byte)'x', (byte)'t' };
        Assert.True(PathPattern.Parse("?.txt").Matches(path));
        Assert.True(PathPattern.Parse("*.txt").Matches(path));
        Assert.True(PathPattern.Parse("[^a].txt").Matches(path));
        Assert.False(PathPattern.Parse("??.txt").Matches(path));
        Assert.True(PathPattern.Parse("/d").Matches(path));
    }

    [Fact]
    public void Empty_path_never_matches()
    {
        Assert.False(PathPattern.Parse("**").Matches(""));
        Assert.False(PathPattern.Parse("**").ChildMayMatch(""));
    }

    [Fact]
    public void Long_and_deep_paths_use_rented_buffers()
    {
        var deep = "/" + string.Join('/', Enumerable.Range(0, 300).Select(i => "d" + i)) + "/" + new string('x', 2000) + ".go";
        Assert.True(PathPattern.Parse("*.go").Matches(deep));
        Assert.True(PathPattern.Parse("/d0/**/d299/*.go").Matches(deep));
        Assert.False(PathPattern.Parse("/d0/**/d300").Matches(deep));
        Assert.True(PathPattern.Parse("/d0/d1/d2/x").ChildMayMatch(deep[..9]));
    }

    [Theory]
    [InlineData("/home/user/docs", "/home", true)]
    [InlineData("/home/user/docs", "/home/user", true)]
    [InlineData("/home/user/docs", "/home/other", false)]
    [InlineData("/home/user/docs", "/home/user/docs/deeper", true)]
    [InlineData("/home/user/docs", "/srv", false)]
    [InlineData("/home/*/docs", "/home/x", true)]
    [InlineData("/home/*/docs", "/var", false)]
    [InlineData("/data/**/keep", "/data/a/b/c", true)]
    [InlineData("/data/**/keep", "/data", true)]
    [InlineData("/data/**/keep", "/other", false)]
    [InlineData("/foo/*/qux", "/foo/bar/boo", false)]
    [InlineData("*.go", "/anything", true)]
    [InlineData("foo/**/bar", "/x", true)]
    public void Child_may_match(string pattern, string directory, bool expected) =>
        Assert.Equal(expected, PathPattern.Parse(pattern).ChildMayMatch(directory));
}
