using System.Text;

namespace Coffer.Core.Archiver.Filters;

/// <summary>
/// <c>--exclude-if-present filename[:header]</c>: excludes the contents of every directory that holds a tag entry
/// named <see cref="FileName"/> — and, when <see cref="Header"/> is not empty, only if that file starts with the
/// header's UTF-8 bytes.
/// </summary>
/// <remarks>
/// Like restic, the rule looks at the directory an entry lives in: the tagged directory itself is still backed
/// up (as an empty directory) together with the tag file, and everything else inside it is excluded, so nothing
/// below it is walked. The tag is looked up with lstat semantics (any entry type counts). When the header does not
/// match, the file is too short or cannot be read, a warning is reported and the directory is kept. Answers are
/// cached per directory for the lifetime of the rule (one backup run). Thread-safe.
/// </remarks>
public sealed class ExcludeIfPresent : IExcludeRule
{
    private readonly byte[] header;
    private readonly ITagFileProbe probe;
    private readonly Action<string> warn;
    private readonly Dictionary<string, bool> tagged = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    /// <summary>Creates the rule.</summary>
    /// <param name="fileName">Name of the tag entry (no wildcards).</param>
    /// <param name="header">Required start of the tag file; empty or null: presence is enough.</param>
    /// <param name="probe">File-system access; default <see cref="FileSystemTagProbe.Instance"/>.</param>
    /// <param name="warn">Receives one line per problem with a tag file; default: ignored.</param>
    /// <exception cref="ArgumentException"><paramref name="fileName"/> is empty.</exception>
    public ExcludeIfPresent(string fileName, string? header = null, ITagFileProbe? probe = null, Action<string>? warn = null)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        if (fileName.Length == 0)
        {
            throw new ArgumentException("name for exclusion tagfile is empty");
        }
        FileName = fileName;
        Header = header ?? "";
        this.header = Encoding.UTF8.GetBytes(Header);
        this.probe = probe ?? FileSystemTagProbe.Instance;
        this.warn = warn ?? (_ => { });
    }

    /// <summary>Name of the tag entry.</summary>
    public string FileName { get; }

    /// <summary>Required start of the tag file, or empty.</summary>
    public string Header { get; }

    /// <summary>
    /// Creates the rule from the option value <c>filename[:header]</c> (split at the first colon).
    /// </summary>
    /// <exception cref="ArgumentException">The value is empty or has no file name before the colon.</exception>
    public static ExcludeIfPresent Parse(string spec, ITagFileProbe? probe = null, Action<string>? warn = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Length == 0)
        {
            throw new ArgumentException("name for exclusion tagfile is empty");
        }
        var colon = spec.IndexOf(':', StringComparison.Ordinal);
        if (colon == 0)
        {
            throw new ArgumentException($"no name for exclusion tagfile provided in \"{spec}\"");
        }
        return colon < 0
            ? new ExcludeIfPresent(spec, null, probe, warn)
            : new ExcludeIfPresent(spec[..colon], spec[(colon + 1)..], probe, warn);
    }

    /// <inheritdoc/>
    public bool Excludes(in ExcludeCandidate candidate)
    {
        if (SlashPath.Base(candidate.Path) == FileName)
        {
            return false; // the tag file itself is kept
        }
        return IsTagged(SlashPath.Dir(candidate.Path));
    }

    /// <summary>Whether <paramref name="directory"/> holds a valid tag (cached).</summary>
    public bool IsTagged(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        lock (gate)
        {
            if (tagged.TryGetValue(directory, out var known))
            {
                return known;
            }
            var result = Probe(directory);
            tagged[directory] = result;
            return result;
        }
    }

    private bool Probe(string directory)
    {
        var tagPath = SlashPath.Join(directory, FileName);
        try
        {
            if (!probe.Exists(tagPath))
            {
                return false;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            warn($"could not access exclusion tagfile: {e.Message}");
            return false;
        }
        if (header.Length == 0)
        {
            return true;
        }
        var start = new byte[header.Length];
        int read;
        try
        {
            read = probe.ReadStart(tagPath, start);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            warn($"could not read signature from exclusion tagfile \"{tagPath}\": {e.Message}");
            return false;
        }
        if (read < header.Length)
        {
            warn($"invalid (too short) signature in exclusion tagfile \"{tagPath}\"");
            return false;
        }
        if (!start.AsSpan().SequenceEqual(header))
        {
            warn($"invalid signature in exclusion tagfile \"{tagPath}\"");
            return false;
        }
        return true;
    }
}
