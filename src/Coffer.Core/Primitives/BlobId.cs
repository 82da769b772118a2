namespace Coffer.Core.Primitives;

/// <summary>The id of a blob: SHA-256 of its plaintext.</summary>
public readonly record struct BlobId(Id Value) : IComparable<BlobId>
{
    /// <summary>Parses 64 hex digits.</summary>
    public static BlobId Parse(string hex) => new(Id.Parse(hex));

    /// <inheritdoc />
    public int CompareTo(BlobId other) => Value.CompareTo(other.Value);

    /// <summary>The 8-digit short form.</summary>
    public string ToShortString() => Value.ToShortString();

    /// <inheritdoc />
    public override string ToString() => Value.ToString();
}
