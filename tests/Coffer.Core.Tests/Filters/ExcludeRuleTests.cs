using Coffer.Core.Archiver.Filters;
using Coffer.Testing;

namespace Coffer.Core.Tests.Filters;

public sealed class ExcludeRuleTests
{
    private static ExcludeCandidate File(string path, long size = 1) => new(path, false, size);

    private static ExcludeCandidate Dir(string path) => new(path, true, 4096);

    [Fact]
    public void Exclude_if_present_drops_the_contents_of_tagged_directories_but_keeps_the_tag()
    {
        var probe = new FakeTagProbe().With("/d/.nobackup", "");
        var rule = ExcludeIfPresent.Parse(".nobackup", probe);
        Assert.Equal(".nobackup", rule.FileName);
        Assert.Equal("", rule.Header);
        Assert.True(rule.Excludes(File("/d/file")));
        Assert.True(rule.Excludes(Dir("/d/sub")));
        Assert.False(rule.Excludes(File("/d/.nobackup")));
        Assert.False(rule.Excludes(Dir("/d")));
        Assert.False(rule.Excludes(File("/e/file")));
    }

    [Fact]
    public void Exclude_if_present_with_header_requires_the_file_to_start_with_it()
    {
        var warnings = new List<string>();
        var probe = new FakeTagProbe()
            .With("/good/.tag", "HEADER and more")
            .With("/wrong/.tag", "XEADER and more")
            .With("/short/.tag", "HEA");
        var rule = ExcludeIfPresent.Parse(".tag:HEADER", probe, warnings.Add);
        Assert.Equal("HEADER", rule.Header);
        Assert.True(rule.Excludes(File("/good/a")));
        Assert.False(rule.Excludes(File("/wrong/a")));
        Assert.False(rule.Excludes(File("/short/a")));
        Assert.False(rule.Excludes(File("/none/a")));
        Assert.Equal(2, warnings.Count);
        Assert.Contains(warnings, w => w.Contains("invalid signature", StringComparison.Ordinal) && w.Contains("/wrong/.tag", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("too short", StringComparison.Ordinal));
    }

    [Fact]
    public void Exclude_if_present_splits_at_the_first_colon_and_caches_per_directory()
    {
        var probe = new FakeTagProbe().With("/d/t", "a:b:c");
        var rule = ExcludeIfPresent.Parse("t:a:b", probe);
        Assert.Equal("a:b", rule.Header);
        Assert.True(rule.Excludes(File("/d/x")));
        Assert.True(rule.Excludes(File("/d/y")));
        Assert.True(rule.IsTagged("/d"));
        Assert.Single(probe.Lookups);

        var emptyHeader = ExcludeIfPresent.Parse("t:", new FakeTagProbe().With("/d/t", ""));
        Assert.True(emptyHeader.Excludes(File("/d/x")));
    }

    [Theory]
    [InlineData("")]
    [InlineData(":header")]
    public void Exclude_if_present_rejects_specs_without_a_name(string spec) =>
        Assert.Throws<ArgumentException>(() => ExcludeIfPresent.Parse(spec, new FakeTagProbe()));

    [Fact]
    public void Exclude_if_present_warns_and_keeps_when_the_tag_cannot_be_accessed()
    {
        var warnings = new List<string>();
        var probe = new FakeTagProbe();
        probe.Broken.Add("/locked/.tag");
        var rule = new ExcludeIfPresent(".tag", null, probe, warnings.Add);
        Assert.False(rule.Excludes(File("/locked/x")));
        Assert.Single(warnings);
    }

    [Fact]
    public void Exclude_caches_uses_cachedir_tag_with_its_signature()
    {
        var warnings = new List<string>();
        var probe = new FakeTagProbe()
            .With("/c/CACHEDIR.TAG", ExcludeCaches.Signature + "\n# This file is a cache directory tag.\n")
            .With("/fake/CACHEDIR.TAG", "not a tag");
        var rule = new ExcludeCaches(probe, warnings.Add);
        Assert.True(rule.Excludes(File("/c/blob")));
        Assert.False(rule.Excludes(File("/c/CACHEDIR.TAG")));
        Assert.False(rule.Excludes(Dir("/c")));
        Assert.False(rule.Excludes(File("/fake/blob")));
        Assert.Single(warnings);
    }

    [Fact]
    public void File_system_probe_reads_real_tag_files()
    {
        using var dir = new TempDirectory();
        var cache = dir.Combine("cache");
        Directory.CreateDirectory(cache);
        System.IO.File.WriteAllText(Path.Combine(cache, "CACHEDIR.TAG"), ExcludeCaches.Signature + "\n");
        System.IO.File.WriteAllText(Path.Combine(cache, "data"), "x");
        var plain = dir.Combine("plain");
        Directory.CreateDirectory(plain);
        var marked = dir.Combine("marked");
        Directory.CreateDirectory(Path.Combine(marked, ".nobackup"));

        var caches = new ExcludeCaches();
        Assert.True(caches.Excludes(File(Path.Combine(cache, "data"))));
        Assert.False(caches.Excludes(File(Path.Combine(cache, "CACHEDIR.TAG"))));
        Assert.False(caches.Excludes(File(Path.Combine(plain, "data"))));

        // Any entry type counts as the tag when no header is required.
        var ifPresent = ExcludeIfPresent.Parse(".nobackup");
        Assert.True(ifPresent.Excludes(File(Path.Combine(marked, "x"))));
        Assert.False(ifPresent.Excludes(File(Path.Combine(plain, "x"))));

        var buffer = new byte[100];
        Assert.Equal(ExcludeCaches.Signature.Length + 1, FileSystemTagProbe.Instance.ReadStart(Path.Combine(cache, "CACHEDIR.TAG"), buffer));
        Assert.False(FileSystemTagProbe.Instance.Exists(Path.Combine(plain, "missing")));
        Assert.False(FileSystemTagProbe.Instance.Exists(Path.Combine(plain, "missing", "deeper")));
    }

    [Theory]
    [InlineData("1024", 1024L)]
    [InlineData("0", 0L)]
    [InlineData("10k", 10240L)]
    [InlineData("10K", 10240L)]
    [InlineData("5m", 5242880L)]
    [InlineData("5M", 5242880L)]
    [InlineData("2g", 2147483648L)]
    [InlineData("2G", 2147483648L)]
    [InlineData("1t", 1099511627776L)]
    [InlineData("1T", 1099511627776L)]
    [InlineData("100b", 100L)]
    [InlineData("100B", 100L)]
    [InlineData("+5k", 5120L)]
    [InlineData("-0", 0L)]
    [InlineData("007", 7L)]
    [InlineData("8388607T", 9223370937343148032L)]
    public void Sizes_parse_with_binary_units(string text, long expected)
    {
        Assert.Equal(expected, ExcludeLargerThan.ParseSize(text));
        Assert.True(ExcludeLargerThan.TryParseSize(text, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("k")]
    [InlineData("1.5M")]
    [InlineData("10 k")]
    [InlineData(" 10")]
    [InlineData("10kb")]
    [InlineData("10KiB")]
    [InlineData("-1")]
    [InlineData("-5k")]
    [InlineData("abc")]
    [InlineData("1e3")]
    [InlineData("0x10")]
    [InlineData("1_000")]
    [InlineData("9223372036854775808")]
    [InlineData("9223372036854775807k")]
    [InlineData("8388608T")]
    public void Invalid_sizes_are_rejected(string text)
    {
        var e = Assert.Throws<FormatException>(() => ExcludeLargerThan.ParseSize(text));
        Assert.Contains($"\"{text}\"", e.Message, StringComparison.Ordinal);
        Assert.False(ExcludeLargerThan.TryParseSize(text, out _));
    }

    [Fact]
    public void Larger_than_excludes_only_files_above_the_limit()
    {
        var rule = ExcludeLargerThan.Parse("1k");
        Assert.Equal(1024, rule.MaxSize);
        Assert.True(rule.Excludes(File("/a", 1025)));
        Assert.False(rule.Excludes(File("/a", 1024)));
        Assert.False(rule.Excludes(new ExcludeCandidate("/dir", true, 1 << 20)));
    }

    [Fact]
    public void Rule_set_combines_the_backup_options()
    {
        using var dir = new TempDirectory();
        var file = dir.Combine("ex.txt");
        System.IO.File.WriteAllText(file, "# comment\n$HOME/skip\n");
        var probe = new FakeTagProbe().With("/t/.nobackup", "").With("/c/CACHEDIR.TAG", ExcludeCaches.Signature);
        var set = ExcludeRuleSet.Create(
            new ExcludeOptions
            {
                Excludes = ["*.o", "!keep.o"],
                InsensitiveExcludes = ["*.JPG"],
                ExcludeFiles = [file],
                ExcludeIfPresent = [".nobackup"],
                ExcludeCaches = true,
                ExcludeLargerThan = "1M",
            },
            probe,
            lookupVariable: name => name == "HOME" ? "/home/bob" : null);
        Assert.Equal(5, set.Rules.Count);
        Assert.True(set.Excludes(File("/src/a.o")));
        Assert.False(set.Excludes(File("/src/keep.o")));
        Assert.True(set.Excludes(File("/p/x.jpg")));
        Assert.True(set.Excludes(File("/home/bob/skip/x")));
        Assert.True(set.Excludes(File("/t/x")));
        Assert.True(set.Excludes(File("/c/x")));
        Assert.True(set.Excludes(File("/big", (1 << 20) + 1)));
        Assert.False(set.Excludes(File("/small", 1 << 20)));
    }

    [Fact]
    public void Rule_set_errors_name_the_option()
    {
        var e = Assert.Throws<ArgumentException>(() => ExcludeRuleSet.Create(new ExcludeOptions { InsensitiveExcludes = ["[x"] }));
        Assert.StartsWith("--iexclude:", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => ExcludeRuleSet.Create(new ExcludeOptions { ExcludeIfPresent = [":x"] }));
        Assert.StartsWith("--exclude-if-present:", e.Message, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => ExcludeRuleSet.Create(new ExcludeOptions { ExcludeLargerThan = "1.5G" }));
    }
}
