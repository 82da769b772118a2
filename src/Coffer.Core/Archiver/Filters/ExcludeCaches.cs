namespace Coffer.Core.Archiver.Filters;

/// <summary>
/// <c>--exclude-caches</c>: <see cref="ExcludeIfPresent"/> for the Cache Directory Tagging Standard
/// (https://bford.info/cachedir/): a directory holding a <c>CACHEDIR.TAG</c> file that starts with the standard
/// signature keeps only that file. Thread-safe.
/// </summary>
public sealed class ExcludeCaches : IExcludeRule
{
    /// <summary>Name of the tag file.</summary>
    public const string TagFileName = "CACHEDIR.TAG";

    /// <summary>The line a valid tag file starts with.</summary>
    public const string Signature = "Signature: 8a477f597d28d172789f06886806bc55";

    private readonly ExcludeIfPresent inner;

    /// <summary>Creates the rule.</summary>
    /// <param name="probe">File-system access; default <see cref="FileSystemTagProbe.Instance"/>.</param>
    /// <param name="warn">Receives one line per malformed tag file; default: ignored.</param>
    public ExcludeCaches(ITagFileProbe? probe = null, Action<string>? warn = null)
    {
        inner = new ExcludeIfPresent(TagFileName, Signature, probe, warn);
    }

    /// <inheritdoc/>
    public bool Excludes(in ExcludeCandidate candidate) => inner.Excludes(candidate);
}
