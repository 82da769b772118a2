namespace Coffer.Core.Primitives;

/// <summary>A repository file or blob failed verification (MAC, hash, structure). Names what is damaged.</summary>
public sealed class RepositoryCorruptException : CofferException
{
    /// <summary>Creates the exception; <paramref name="file"/> is e.g. <c>index/ab12…</c>.</summary>
    public RepositoryCorruptException(string file, string problem, string? blob = null, Exception? inner = null)
        : base(blob is null ? $"{file}: {problem}" : $"{file}: blob {blob}: {problem}", "run 'coffer check' to see the extent of the damage", inner)
    {
        File = file;
        Blob = blob;
    }

    /// <summary>The damaged file, relative to the repository root.</summary>
    public string File { get; }

    /// <summary>The damaged blob, if one is known.</summary>
    public string? Blob { get; }
}
