using System.Text;
using Coffer.Core.Archiver.Filters;
using FsCheck;
using FsCheck.Fluent;

namespace Coffer.Core.Tests.Filters;

public sealed class PatternListTests
{
    private static PatternList List(params string[] patterns) => PatternList.Parse(patterns, caseInsensitive: false);

    [Fact]
    public void Any_plain_pattern_selects()
    {
        var list = List("*.tmp", "/var/cache");
        Assert.True(list.Matches("/home/a.tmp"));
        Assert.True(list.Matches("/var/cache/x"));
        Assert.False(list.Matches("/var/log/x"));
    }

    [Fact]
    public void Negation_undoes_an_earlier_match_and_the_last_match_wins()
    {
        var list = List("*.log", "!important.log");
        Assert.True(list.Matches("/x/a.log"));
        Assert.False(list.Matches("/x/important.log"));

        var again = List("*.log", "!important.log", "*.log");
        Assert.True(again.Matches("/x/important.log"));

        var tooEarly = List("!/a/keep", "/a/**");
        Assert.True(tooEarly.Matches("/a/keep"));
    }

    [Fact]
    public void Negation_of_a_child_of_an_excluded_directory_keeps_only_that_subtree()
    {
        var list = List("/data", "!/data/keep");
        Assert.True(list.Matches("/data"));
        Assert.False(list.Matches("/data/keep"));
        Assert.False(list.Matches("/data/keep/deeper/file"));
        Assert.True(list.Matches("/data/other"));
    }

    [Fact]
    public void Double_star_exclusion_also_excludes_the_directory_itself_so_a_negated_child_is_never_reached()
    {
        // restic (like gitignore) cannot re-include below an excluded directory: "/home/**" matches "/home"
        // itself, so the archiver never walks into it, although the negated path alone is not matched.
        var list = List("/home/**", "!/home/user/keep");
        Assert.False(list.Matches("/home/user/keep"));
        Assert.False(list.Matches("/home/user/keep/file"));
        Assert.True(list.Matches("/home/user"));
        Assert.True(list.Matches("/home"));
        Assert.True(list.Matches("/home/user/other"));
    }

    [Fact]
    public void Documented_keep_some_home_directories_example()
    {
        var list = List("/home/bob/*", "!/home/bob/Documents", "!/home/bob/code", "node_modules", "*~");
        Assert.False(list.Matches("/home/bob"));
        Assert.True(list.Matches("/home/bob/Downloads"));
        Assert.False(list.Matches("/home/bob/Documents"));
        Assert.False(list.Matches("/home/bob/Documents/letter.odt"));
        Assert.True(list.Matches("/home/bob/code/app/node_modules"));
        Assert.True(list.Matches("/home/bob/Documents/letter.odt~"));
    }

    [Fact]
    public void Case_insensitive_list_applies_to_every_pattern()
    {
        var list = PatternList.Parse(["*.JPG", "!Keep.jpg"], caseInsensitive: true);
        Assert.True(list.IsCaseInsensitive);
        Assert.True(list.Matches("/p/A.jpg"));
        Assert.False(list.Matches("/p/KEEP.JPG"));
        Assert.True(list.Matches(Encoding.UTF8.GetBytes("/p/B.Jpg")));
    }

    [Fact]
    public void Empty_strings_are_skipped_and_an_empty_list_matches_nothing()
    {
        var list = List("", "*.go", "");
        Assert.Single(list.Patterns);
        Assert.True(PatternList.Empty.IsEmpty);
        Assert.False(PatternList.Empty.Matches("/x"));
        Assert.False(PatternList.Empty.ChildMayMatch("/x"));
        Assert.False(List().Matches("/x", out var child));
        Assert.False(child);
    }

    [Fact]
    public void Invalid_patterns_are_all_named_in_one_error()
    {
        var e = Assert.Throws<ArgumentException>(() => List("*.go", "a[", "ok", "b\\"));
        Assert.Contains("\"a[\"", e.Message, StringComparison.Ordinal);
        Assert.Contains("\"b\\\"", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("\"ok\"", e.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string[], string, bool, bool> ChildCases => new()
    {
        { ["/home/user/docs"], "/home", false, true },
        { ["/home/user/docs"], "/home/user", false, true },
        { ["/home/user/docs"], "/home/other", false, false },
        { ["/home/user/docs"], "/home/user/docs", true, true },
        { ["/home/user/docs"], "/srv", false, false },
        { ["*.go"], "/src", false, true },
        { ["/home/user/docs", "*.go"], "/srv", false, true },
        { ["/data/**/keep"], "/data/a/b", false, true },
        { ["/data/**/keep"], "/data/a/keep", true, true },
        { ["/data/**/keep"], "/other", false, false },
        { ["/a/b", "!/a/b/c"], "/a/b/c", false, false },
        { ["/a/b", "!/a/b/c"], "/a", false, true },
        { ["/a/b", "!/a/b/c"], "/a/b/d", true, true },
        { ["/foo/*/qux"], "/foo/bar/boo", false, false },
    };

    [Theory]
    [MemberData(nameof(ChildCases))]
    public void Child_may_match_for_include_filters(string[] patterns, string path, bool matched, bool childMayMatch)
    {
        var list = List(patterns);
        Assert.Equal(matched, list.Matches(path, out var child));
        Assert.Equal(childMayMatch, child);
        Assert.Equal(childMayMatch, list.ChildMayMatch(path));
        Assert.Equal(matched, list.Matches(path));
        Assert.Equal(matched, list.Matches(Encoding.UTF8.GetBytes(path), out var byteChild));
        Assert.Equal(childMayMatch, byteChild);
    }

    [Fact]
    public void An_escaped_name_matches_exactly_itself_and_its_subtree()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<NonEmptyString>(), text =>
        {
            var name = text.Get.Replace('/', '_').Replace('\0', '_');
            if (name is "." or "..")
            {
                return true;
            }
            var escaped = string.Concat(name.Select(c => c is '*' or '?' or '[' or ']' or '\\' or '!' ? "\\" + c : c.ToString()));
            var list = List("/base/" + escaped);
            return list.Matches("/base/" + name) && list.Matches("/base/" + name + "/child") &&
                !list.Matches("/base/" + name + "x") && !list.Matches("/other/" + name);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(300));
    }

    [Fact]
    public void String_and_byte_overloads_agree()
    {
        string[] patterns = ["*a*", "?b", "[a-m]*", "/x/**/y", "c/*/d", "**/e?"];
        Prop.ForAll(ArbMap.Default.ArbFor<string[]>(), parts =>
        {
            var path = "/" + string.Join('/', (parts ?? []).Where(p => p is not null).Select(p => p.Replace('/', '_')));
            if (path.Length == 1 || !System.Text.Unicode.Utf8.IsValid(Encoding.UTF8.GetBytes(path)) || path.Any(char.IsSurrogate))
            {
                return true;
            }
            var bytes = Encoding.UTF8.GetBytes(path);
            return patterns.All(p =>
            {
                var list = List(p);
                return list.Matches(path, out var c1) == list.Matches(bytes, out var c2) && c1 == c2;
            });
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(300));
    }
}
