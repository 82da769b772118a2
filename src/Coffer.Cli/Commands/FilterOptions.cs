using System.CommandLine;
using System.Text;
using Coffer.Core.Archiver;
using Coffer.Core.Archiver.Filters;
using Coffer.Core.Primitives;

namespace Coffer.Cli.Commands;

/// <summary>restic's exclude and files-from options of <c>backup</c>.</summary>
internal sealed class FilterOptions
{
    public Option<string[]> Exclude { get; } = new("--exclude", "-e") { Description = "exclude a pattern (can be specified multiple times)" };
    public Option<string[]> IExclude { get; } = new("--iexclude") { Description = "same as --exclude pattern but ignores the casing of filenames" };
    public Option<string[]> ExcludeFile { get; } = new("--exclude-file") { Description = "read exclude patterns from a file (can be specified multiple times)" };
    public Option<string[]> IExcludeFile { get; } = new("--iexclude-file") { Description = "same as --exclude-file but ignores casing of filenames in patterns" };
    public Option<string[]> ExcludeIfPresent { get; } = new("--exclude-if-present") { Description = "takes filename[:header], exclude contents of directories containing filename (except filename itself) if header of that file is as provided" };
    public Option<bool> ExcludeCaches { get; } = new("--exclude-caches") { Description = "excludes cache directories that are marked with a CACHEDIR.TAG file" };
    public Option<string?> ExcludeLargerThan { get; } = new("--exclude-larger-than") { Description = "max size of the files to be backed up (allowed suffixes: k/K, m/M, g/G, t/T)" };
    public Option<string[]> FilesFromPatterns { get; } = new("--files-from") { Description = "read the files to backup from file (can be combined with file args; can be specified multiple times)" };
    public Option<string[]> FilesFromVerbatim { get; } = new("--files-from-verbatim") { Description = "read the files to backup from file, one path per line, taken as they are" };
    public Option<string[]> FilesFromRaw { get; } = new("--files-from-raw") { Description = "read the files to backup from file, paths separated by NUL bytes" };

    public void AddTo(Command command)
    {
        foreach (var o in new Option[] { Exclude, IExclude, ExcludeFile, IExcludeFile, ExcludeIfPresent, ExcludeCaches, ExcludeLargerThan, FilesFromPatterns, FilesFromVerbatim, FilesFromRaw })
        {
            command.Options.Add(o);
        }
    }

    /// <summary>The patterns recorded in the snapshot's <c>excludes</c> field (as restic records them).</summary>
    public List<string> Patterns(ParseResult result) => [.. result.GetValue(Exclude) ?? [], .. result.GetValue(IExclude) ?? []];

    public BackupFilter Build(ParseResult result, Func<string, string?> environment)
    {
        var options = new ExcludeOptions
        {
            Excludes = result.GetValue(Exclude) ?? [],
            InsensitiveExcludes = result.GetValue(IExclude) ?? [],
            ExcludeFiles = result.GetValue(ExcludeFile) ?? [],
            InsensitiveExcludeFiles = result.GetValue(IExcludeFile) ?? [],
            ExcludeIfPresent = result.GetValue(ExcludeIfPresent) ?? [],
            ExcludeCaches = result.GetValue(ExcludeCaches),
            ExcludeLargerThan = result.GetValue(ExcludeLargerThan),
        };
        ExcludeRuleSet rules;
        try
        {
            rules = ExcludeRuleSet.Create(options, lookupVariable: environment);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or IOException)
        {
            throw new CofferException(e.Message);
        }
        if (rules.Rules.Count == 0)
        {
            return BackupFilter.None;
        }
        return new BackupFilter((path, isDir, size) => rules.Excludes(new ExcludeCandidate(path, isDir, size)));
    }

    /// <summary>Targets read from <c>--files-from</c> (comments and blank lines skipped, globs expanded), <c>-verbatim</c> and <c>-raw</c>.</summary>
    public IEnumerable<string> FilesFrom(ParseResult result)
    {
        foreach (var file in result.GetValue(FilesFromPatterns) ?? [])
        {
            foreach (var raw in ReadText(file).Split('\n'))
            {
                var line = raw.TrimEnd('\r').Trim();
                if (line.Length == 0 || line.StartsWith('#'))
                {
                    continue;
                }
                foreach (var expanded in Glob(line))
                {
                    yield return expanded;
                }
            }
        }
        foreach (var file in result.GetValue(FilesFromVerbatim) ?? [])
        {
            foreach (var line in ReadText(file).Split('\n'))
            {
                if (line.Length > 0)
                {
                    yield return line.TrimEnd('\r');
                }
            }
        }
        foreach (var file in result.GetValue(FilesFromRaw) ?? [])
        {
            foreach (var part in ReadText(file).Split('\0'))
            {
                if (part.Length > 0)
                {
                    yield return part;
                }
            }
        }
    }

    private static string ReadText(string file)
    {
        try
        {
            return file == "-" ? Console.In.ReadToEnd() : File.ReadAllText(file, Encoding.UTF8);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CofferException($"unable to read {file}: {e.Message}");
        }
    }

    private static IEnumerable<string> Glob(string pattern)
    {
        if (pattern.IndexOfAny(['*', '?', '[']) < 0)
        {
            return [pattern];
        }
        // Expand the last path component against its directory; earlier components are taken literally.
        var dir = Path.GetDirectoryName(pattern);
        var name = Path.GetFileName(pattern);
        dir = string.IsNullOrEmpty(dir) ? "." : dir;
        if (!Directory.Exists(dir) || dir.IndexOfAny(['*', '?', '[']) >= 0)
        {
            return [];
        }
        var compiled = PathPattern.Parse("/" + name);
        return Directory.EnumerateFileSystemEntries(dir).Where(e => compiled.Matches("/" + Path.GetFileName(e)))
            .Select(e => dir == "." && !pattern.StartsWith("./", StringComparison.Ordinal) ? Path.GetFileName(e) : e)
            .Order(StringComparer.Ordinal);
    }
}
