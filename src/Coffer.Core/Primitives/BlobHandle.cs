namespace Coffer.Core.Primitives;

/// <summary>A blob's id together with its type: the key of the index.</summary>
public readonly record struct BlobHandle(BlobId Id, BlobType Type)
{
    /// <inheritdoc />
    public override string ToString() => $"{Type.Name()} {Id}";
}
