using Coffer.Core.Model;
using Coffer.Core.Primitives;

namespace Coffer.Core.Maintenance;

/// <summary>What <see cref="SnapshotCopier"/> reports while it runs. Calls come one at a time except <see cref="PackCopied"/>.</summary>
public interface ICopyProgress
{
    /// <summary>A selected source snapshot has a similar copy in the destination already and is skipped.</summary>
    void SnapshotSkipped(Snapshot source, Snapshot existingCopy);

    /// <summary>Copying of a source snapshot's trees and data begins.</summary>
    void SnapshotStarted(Snapshot source);

    /// <summary>
    /// The snapshot's trees were walked: <paramref name="blobs"/> blobs the destination lacks (trees and data),
    /// <paramref name="storedBytes"/> bytes as stored in the source, the data among them in <paramref name="packs"/> source packs.
    /// </summary>
    void BlobsFound(Snapshot source, long blobs, long storedBytes, int packs);

    /// <summary>One more source pack's needed blobs were copied; may be called from several threads at once.</summary>
    void PackCopied(int done, int total);

    /// <summary>The snapshot's data was committed to the destination and its copy saved as <paramref name="copy"/>.</summary>
    void SnapshotSaved(Snapshot source, SnapshotId copy);
}
