namespace Coffer.Core.Primitives;

/// <summary>The id of a snapshot file: SHA-256 of its stored bytes.</summary>
public readonly record struct SnapshotId(Id Value) : IComparable<SnapshotId>
{
    /// <summary>Parses 64 hex digits.</summary>
    public static SnapshotId Parse(string hex) => new(Id.Parse(hex));

    /// <inheritdoc />
    public int CompareTo(SnapshotId other) => Value.CompareTo(other.Value);

    /// <summary>The 8-digit short form.</summary>
    public string ToShortString() => Value.ToShortString();

    /// <inheritdoc />
    public override string ToString() => Value.ToString();
}
