namespace Coffer.Core.Restorer;

/// <summary>Equality of names as raw bytes, for sets of node and directory entry names.</summary>
internal sealed class NameComparer : IEqualityComparer<byte[]>
{
    /// <summary>The one instance.</summary>
    public static NameComparer Instance { get; } = new();

    /// <inheritdoc />
    public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

    /// <inheritdoc />
    public int GetHashCode(byte[] obj)
    {
        var hash = new HashCode();
        hash.AddBytes(obj);
        return hash.ToHashCode();
    }
}
