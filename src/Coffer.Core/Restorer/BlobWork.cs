using Coffer.Core.Packing;

namespace Coffer.Core.Restorer;

/// <summary>A blob to read from one pack, decrypted once and written to every place in <see cref="Uses"/>.</summary>
internal sealed class BlobWork(PackedBlob blob)
{
    /// <summary>Where it is in the pack.</summary>
    public PackedBlob Blob { get; } = blob;

    /// <summary>Every file and offset that needs it.</summary>
    public List<BlobUse> Uses { get; } = [];
}
