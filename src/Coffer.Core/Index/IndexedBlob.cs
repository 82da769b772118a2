using Coffer.Core.Packing;
using Coffer.Core.Primitives;

namespace Coffer.Core.Index;

/// <summary>A blob found in the index: the pack it is in and its place there.</summary>
public readonly record struct IndexedBlob(PackId Pack, PackedBlob Blob)
{
    /// <summary>The blob's id and type.</summary>
    public BlobHandle Handle => Blob.Handle;
}
