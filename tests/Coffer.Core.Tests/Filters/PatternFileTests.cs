using System.Text;
using Coffer.Core.Archiver.Filters;
using Coffer.Testing;

namespace Coffer.Core.Tests.Filters;

public sealed class PatternFileTests
{
    private static readonly Dictionary<string, string> Variables = new(StringComparer.Ordinal)
    {
        ["HOME"] = "/home/bob",
        ["USER"] = "bob",
        ["EMPTY"] = "",
    };

    private static string? Lookup(string name) => Variables.GetValueOrDefault(name);

    [Fact]
    public void Comments_blank_lines_and_surrounding_whitespace_are_dropped()
    {
        var content = "# exclude go-files\n*.go\r\n\n   \n  # indented comment\n\t  foo/**/bar  \r\n\\#literal\nfoo bar star.txt\n";
        var patterns = PatternFile.ParseContent(content, Lookup);
        Assert.Equal(["*.go", "foo/**/bar", "\\#literal", "foo bar star.txt"], patterns);
    }

    [Theory]
    [InlineData("$HOME/foo", "/home/bob/foo")]
    [InlineData("${HOME}/bar", "/home/bob/bar")]
    [InlineData("/home/${USER}name", "/home/bobname")]
    [InlineData("/home/$USERname", "/home/")]
    [InlineData("$$HOME", "$HOME")]
    [InlineData("${$}x", "$x")]
    [InlineData("cost$", "cost$")]
    [InlineData("a $ b", "a $ b")]
    [InlineData("$UNSET/x", "/x")]
    [InlineData("${EMPTY}/x", "/x")]
    [InlineData("${}x", "x")]
    [InlineData("a${unclosed", "aunclosed")]
    [InlineData("$1x", "x")]
    [InlineData("no variables", "no variables")]
    public void Variables_are_expanded_like_go(string line, string expected) =>
        Assert.Equal(expected, PatternFile.ExpandVariables(line, Lookup));

    [Fact]
    public void Variables_are_expanded_after_comment_detection_and_empty_results_are_skipped_by_the_list()
    {
        var patterns = PatternFile.ParseContent("$UNSET\n$HOME/.cache\n", Lookup);
        Assert.Equal(["", "/home/bob/.cache"], patterns);
        var list = PatternList.Parse(patterns, caseInsensitive: false);
        Assert.Single(list.Patterns);
        Assert.True(list.Matches("/home/bob/.cache/x"));
    }

    [Fact]
    public void ReadPatternFile_reads_a_file_with_a_byte_order_mark()
    {
        using var dir = new TempDirectory();
        var file = dir.Combine("excludes.txt");
        File.WriteAllText(file, "# comment\n$HOME/tmp\n*.o\n", new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        Assert.Equal(["/home/bob/tmp", "*.o"], PatternList.ReadPatternFile(file, Lookup));
    }

    [Fact]
    public void ReadPatternFile_names_a_missing_file()
    {
        var e = Assert.Throws<IOException>(() => PatternList.ReadPatternFile("/nonexistent/excludes.txt", Lookup));
        Assert.Contains("/nonexistent/excludes.txt", e.Message, StringComparison.Ordinal);
    }
}
