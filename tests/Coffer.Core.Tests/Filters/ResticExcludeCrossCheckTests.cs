using Coffer.Core.Archiver.Filters;
using Coffer.Testing;

namespace Coffer.Core.Tests.Filters;

/// <summary>
/// Runs <c>restic backup --dry-run -vv</c> on a generated tree with exclude options and compares the entries restic
/// would save with those a walk using <see cref="ExcludeRuleSet"/> keeps.
/// </summary>
public sealed class ResticExcludeCrossCheckTests
{
    public static TheoryData<string> Scenarios => new()
    {
        "negation",
        "double-star-negation",
        "insensitive",
        "exclude-file",
        "tags-and-size",
        "classes-and-escapes",
    };

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task Restic_and_the_rules_keep_the_same_entries(string scenario)
    {
        if (!ResticRunner.IsAvailable)
        {
            Assert.Skip("restic is not installed");
        }
        using var dir = new TempDirectory("coffer-filters-");
        var src = dir.Combine("src");
        BuildTree(src);
        var excludeFile = dir.Combine("excludes.txt");
        File.WriteAllText(excludeFile, "# generated\n${ROOTVAR}/repos/**/target\n\n  [a-c].go  \n$UNSETVAR/never\n");

        var (args, options) = scenario switch
        {
            "negation" => (
                new[] { "--exclude", "*.go", "--exclude", src + "/home/*", "--exclude", "!" + src + "/home/user" },
                new ExcludeOptions { Excludes = ["*.go", src + "/home/*", "!" + src + "/home/user"] }),
            "double-star-negation" => (
                new[] { "--exclude", src + "/home/**", "--exclude", "!" + src + "/home/user/keep" },
                new ExcludeOptions { Excludes = [src + "/home/**", "!" + src + "/home/user/keep"] }),
            "insensitive" => (
                new[] { "--iexclude", "*.JPG", "--iexclude", "*.TXT", "--iexclude", "!NOTES.txt", "--exclude", "*.txt" },
                new ExcludeOptions { InsensitiveExcludes = ["*.JPG", "*.TXT", "!NOTES.txt"], Excludes = ["*.txt"] }),
            "exclude-file" => (
                new[] { "--exclude-file", excludeFile },
                new ExcludeOptions { ExcludeFiles = [excludeFile] }),
            "tags-and-size" => (
                new[] { "--exclude-caches", "--exclude-if-present", ".nobackup", "--exclude-larger-than", "2k" },
                new ExcludeOptions { ExcludeCaches = true, ExcludeIfPresent = [".nobackup"], ExcludeLargerThan = "2k" }),
            _ => (
                new[] { "--exclude", "weird/\\[x].txt", "--exclude", "?.go", "--exclude", "file[!a].txt", "--exclude", "sp*ce*" },
                new ExcludeOptions { Excludes = ["weird/\\[x].txt", "?.go", "file[!a].txt", "sp*ce*"] }),
        };

        var restic = new ResticRunner();
        restic.Environment["RESTIC_PASSWORD"] = "filters";
        restic.Environment["ROOTVAR"] = src;
        var repo = dir.Combine("repo");
        await restic.OkAsync("init", "-q", "-r", repo);
        var result = await restic.OkAsync(["-r", repo, "backup", "--dry-run", "-vv", .. args, src]);
        var resticKept = result.Out.Split('\n')
            .Where(l => l.StartsWith("new ", StringComparison.Ordinal))
            .Select(l => l[4..].TrimStart())
            .Select(l => l[..l.LastIndexOf(", saved in", StringComparison.Ordinal)].TrimEnd('/'))
            .Where(p => p.StartsWith(src + "/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();

        var rules = ExcludeRuleSet.Create(options, lookupVariable: name => name == "ROOTVAR" ? src : null);
        var kept = new List<string>();
        Walk(src, rules, kept);
        kept.Sort(StringComparer.Ordinal);

        Assert.NotEmpty(kept);
        Assert.Equal(resticKept, kept);
    }

    private static void Walk(string directory, ExcludeRuleSet rules, List<string> kept)
    {
        foreach (var entry in Directory.EnumerateFileSystemEntries(directory))
        {
            var info = new FileInfo(entry);
            var isDirectory = info.Attributes.HasFlag(FileAttributes.Directory) && info.LinkTarget is null;
            var size = isDirectory ? 0 : info.Length;
            if (rules.Excludes(new ExcludeCandidate(entry, isDirectory, size)))
            {
                continue;
            }
            kept.Add(entry);
            if (isDirectory)
            {
                Walk(entry, rules, kept);
            }
        }
    }

    private static void BuildTree(string root)
    {
        void Write(string relative, string content = "x")
        {
            var path = Path.Combine(root, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, content);
        }

        Write("a.go");
        Write("b.go");
        Write("main.go");
        Write("b.txt");
        Write("notes.TXT");
        Write("NOTES.txt.bak");
        Write("Photo.JPG");
        Write("photo2.jpg");
        Write("keep/x.go");
        Write("keep/y.txt");
        Write("home/user/keep/file.txt");
        Write("home/user/other.txt");
        Write("home/bob/Documents/d.txt");
        Write("home/bob/Downloads/big.iso", new string('i', 3000));
        Write("cache/CACHEDIR.TAG", ExcludeCaches.Signature + "\n# cache\n");
        Write("cache/blob1");
        Write("cache/sub/blob2");
        Write("badcache/CACHEDIR.TAG", "nope");
        Write("badcache/blob");
        Write("marked/.nobackup", "");
        Write("marked/data.txt");
        Write("marked/inner/deep.txt");
        Write("repos/r1/target/out.bin");
        Write("repos/r1/src/main.rs");
        Write("repos/r2/p/target/t.bin");
        Write("weird/[x].txt");
        Write("weird/x.txt");
        Write("weird/sp ace.txt");
        Write("weird/é.go");
        Write("weird/file!.txt");
        Write("weird/fileb.txt");
        Write("large.bin", new string('l', 5000));
        Write("small.bin", new string('s', 100));
        Directory.CreateDirectory(Path.Combine(root, "empty"));
    }
}
