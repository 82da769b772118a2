namespace Coffer.Core.Archiver.Filters;

/// <summary>
/// <c>--exclude</c>/<c>--iexclude</c> (and their <c>-file</c> forms): excludes entries that a <see cref="PatternList"/>
/// matches. Thread-safe.
/// </summary>
public sealed class ExcludeByPattern : IExcludeRule
{
    /// <summary>Creates the rule over <paramref name="patterns"/>.</summary>
    public ExcludeByPattern(PatternList patterns)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        Patterns = patterns;
    }

    /// <summary>The patterns.</summary>
    public PatternList Patterns { get; }

    /// <inheritdoc/>
    public bool Excludes(in ExcludeCandidate candidate) => Patterns.Matches(candidate.Path);
}
