namespace Coffer.Core.Archiver.Filters;

/// <summary>
/// All exclude rules of one backup run: an entry is excluded as soon as one rule excludes it. Built directly from
/// rules or from <see cref="ExcludeOptions"/>. Thread-safe when its rules are.
/// </summary>
public sealed class ExcludeRuleSet : IExcludeRule
{
    private readonly IExcludeRule[] rules;

    /// <summary>Creates the set; the order of <paramref name="rules"/> is the order they are asked in.</summary>
    public ExcludeRuleSet(IEnumerable<IExcludeRule> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        this.rules = [.. rules];
    }

    /// <summary>The rules.</summary>
    public IReadOnlyList<IExcludeRule> Rules => rules;

    /// <summary>
    /// Builds the rules for restic's backup options: pattern files are read (and their variables expanded) first,
    /// then every pattern is validated; <c>--exclude-caches</c> adds the CACHEDIR.TAG rule after the
    /// <c>--exclude-if-present</c> ones.
    /// </summary>
    /// <param name="options">The option values.</param>
    /// <param name="probe">File-system access for tag files; default <see cref="FileSystemTagProbe.Instance"/>.</param>
    /// <param name="warn">Receives warnings about malformed tag files; default: ignored.</param>
    /// <param name="lookupVariable">Environment lookup for pattern files; default: the process environment.</param>
    /// <exception cref="ArgumentException">A pattern or an <c>--exclude-if-present</c> value is invalid; the message names the option.</exception>
    /// <exception cref="FormatException">The <c>--exclude-larger-than</c> size is invalid.</exception>
    /// <exception cref="IOException">A pattern file cannot be read.</exception>
    public static ExcludeRuleSet Create(
        ExcludeOptions options,
        ITagFileProbe? probe = null,
        Action<string>? warn = null,
        Func<string, string?>? lookupVariable = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var rules = new List<IExcludeRule>();
        var insensitive = ParseOption("--iexclude", options.InsensitiveExcludes, options.InsensitiveExcludeFiles, true, lookupVariable);
        if (!insensitive.IsEmpty)
        {
            rules.Add(new ExcludeByPattern(insensitive));
        }
        var sensitive = ParseOption("--exclude", options.Excludes, options.ExcludeFiles, false, lookupVariable);
        if (!sensitive.IsEmpty)
        {
            rules.Add(new ExcludeByPattern(sensitive));
        }
        if (!string.IsNullOrEmpty(options.ExcludeLargerThan))
        {
            rules.Add(ExcludeLargerThan.Parse(options.ExcludeLargerThan));
        }
        foreach (var spec in options.ExcludeIfPresent)
        {
            try
            {
                rules.Add(ExcludeIfPresent.Parse(spec, probe, warn));
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"--exclude-if-present: {e.Message}", e);
            }
        }
        if (options.ExcludeCaches)
        {
            rules.Add(new ExcludeCaches(probe, warn));
        }
        return new ExcludeRuleSet(rules);
    }

    /// <inheritdoc/>
    public bool Excludes(in ExcludeCandidate candidate)
    {
        foreach (var rule in rules)
        {
            if (rule.Excludes(candidate))
            {
                return true;
            }
        }
        return false;
    }

    private static PatternList ParseOption(
        string option,
        IReadOnlyList<string> patterns,
        IReadOnlyList<string> files,
        bool caseInsensitive,
        Func<string, string?>? lookupVariable)
    {
        var all = new List<string>(patterns);
        foreach (var file in files)
        {
            all.AddRange(PatternFile.Read(file, lookupVariable));
        }
        try
        {
            return PatternList.Parse(all, caseInsensitive);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"{option}: {e.Message}", e);
        }
    }
}
