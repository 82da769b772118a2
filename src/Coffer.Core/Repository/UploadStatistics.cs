namespace Coffer.Core.Repository;

/// <summary>What an <see cref="UploadSession"/> added. Updated atomically; read after commit.</summary>
public sealed class UploadStatistics
{
    internal long DataBlobsField, TreeBlobsField, DataAddedField, DataAddedPackedField, PacksField, IndexFilesField;

    /// <summary>New data blobs.</summary>
    public long DataBlobs => Interlocked.Read(ref DataBlobsField);

    /// <summary>New tree blobs.</summary>
    public long TreeBlobs => Interlocked.Read(ref TreeBlobsField);

    /// <summary>Plaintext bytes of new blobs.</summary>
    public long DataAdded => Interlocked.Read(ref DataAddedField);

    /// <summary>Stored bytes of new blobs (after compression and encryption).</summary>
    public long DataAddedPacked => Interlocked.Read(ref DataAddedPackedField);

    /// <summary>Pack files uploaded.</summary>
    public long Packs => Interlocked.Read(ref PacksField);

    /// <summary>Index files written.</summary>
    public long IndexFiles => Interlocked.Read(ref IndexFilesField);
}
