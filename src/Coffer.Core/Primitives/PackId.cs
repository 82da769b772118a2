namespace Coffer.Core.Primitives;

/// <summary>The id of a pack file: SHA-256 of its stored bytes.</summary>
public readonly record struct PackId(Id Value) : IComparable<PackId>
{
    /// <summary>Parses 64 hex digits.</summary>
    public static PackId Parse(string hex) => new(Id.Parse(hex));

    /// <inheritdoc />
    public int CompareTo(PackId other) => Value.CompareTo(other.Value);

    /// <summary>The 8-digit short form.</summary>
    public string ToShortString() => Value.ToShortString();

    /// <inheritdoc />
    public override string ToString() => Value.ToString();
}
