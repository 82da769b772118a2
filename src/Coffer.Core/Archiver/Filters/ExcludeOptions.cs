namespace Coffer.Core.Archiver.Filters;

/// <summary>The exclude options of <c>backup</c>, as restic names them. Empty lists and null mean "not given".</summary>
public sealed record ExcludeOptions
{
    /// <summary><c>--exclude</c> patterns.</summary>
    public IReadOnlyList<string> Excludes { get; init; } = [];

    /// <summary><c>--iexclude</c> patterns.</summary>
    public IReadOnlyList<string> InsensitiveExcludes { get; init; } = [];

    /// <summary><c>--exclude-file</c> files.</summary>
    public IReadOnlyList<string> ExcludeFiles { get; init; } = [];

    /// <summary><c>--iexclude-file</c> files.</summary>
    public IReadOnlyList<string> InsensitiveExcludeFiles { get; init; } = [];

    /// <summary><c>--exclude-if-present</c> values, each <c>filename[:header]</c>.</summary>
    public IReadOnlyList<string> ExcludeIfPresent { get; init; } = [];

    /// <summary><c>--exclude-caches</c>.</summary>
    public bool ExcludeCaches { get; init; }

    /// <summary><c>--exclude-larger-than</c> size text, or null.</summary>
    public string? ExcludeLargerThan { get; init; }
}
