using Coffer.Core.Model;
using Coffer.Core.Primitives;
using Coffer.Storage;
using Repo = Coffer.Core.Repository.Repository;

namespace Coffer.Core.Maintenance;

/// <summary>
/// Copies snapshots from one repository to another (restic's <c>copy</c>). A selected snapshot the destination
/// already holds a similar copy of (see <see cref="ExistingCopyIndex"/>) is skipped, so running the same copy again
/// copies nothing. For the others, every tree is walked in the source; the tree and data blobs the destination index
/// lacks are read from the source, verified with the source key, and saved through one destination upload session,
/// which encrypts them with the destination key and writes packs, then index. Snapshots are copied in batches of
/// about <see cref="CopyOptions.BatchBytes"/>: the batch's session is committed first, and only then are its
/// snapshots saved, with <c>parent</c> cleared and <c>original</c> set to the source id when it had none. Killed at any
/// moment, the destination stays valid (at worst some packs no index or snapshot refers to) and a rerun finishes
/// the job. The caller holds a (shared) lock on both repositories.
/// </summary>
public sealed class SnapshotCopier
{
    private readonly Repo _source;
    private readonly Repo _destination;
    private readonly CopyOptions _options;
    private readonly ICopyProgress _progress;

    /// <summary>A copier from <paramref name="source"/> to <paramref name="destination"/>.</summary>
    public SnapshotCopier(Repo source, Repo destination, CopyOptions? options = null, ICopyProgress? progress = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        _source = source;
        _destination = destination;
        _options = options ?? new CopyOptions();
        _progress = progress ?? NullCopyProgress.Instance;
    }

    /// <summary>True when both repositories cut files with the same chunker polynomial, so copied data deduplicates against new backups.</summary>
    public bool SameChunker => _source.Config.ChunkerPolynomial == _destination.Config.ChunkerPolynomial;

    /// <summary>
    /// Loads both indexes and the destination's snapshots, then copies <paramref name="snapshots"/> (source snapshots
    /// with their ids set) in the given order, skipping those already copied.
    /// </summary>
    public async Task<CopySummary> CopyAsync(IReadOnlyList<Snapshot> snapshots, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshots);
        var summary = new CopySummary();
        await _source.LoadIndexAsync(cancellationToken).ConfigureAwait(false);
        await _destination.LoadIndexAsync(cancellationToken).ConfigureAwait(false);
        var existing = new ExistingCopyIndex(await _destination.LoadSnapshotsAsync(cancellationToken).ConfigureAwait(false));
        var walker = new CopyTreeWalker(_source, _options.TreeLoaders);
        var next = 0;
        while (next < snapshots.Count)
        {
            var batch = new List<Snapshot>();
            await using (var upload = _destination.BeginUpload(_options.Upload, cancellationToken))
            {
                long batchBytes = 0;
                while (next < snapshots.Count && batchBytes < _options.BatchBytes)
                {
                    var snapshot = snapshots[next++];
                    var sourceId = snapshot.Id ?? throw new ArgumentException("a snapshot without id cannot be copied", nameof(snapshots));
                    if (existing.Find(snapshot) is { } copy)
                    {
                        summary.Skipped.Add((sourceId, copy.Id ?? sourceId));
                        _progress.SnapshotSkipped(snapshot, copy);
                        continue;
                    }
                    _progress.SnapshotStarted(snapshot);
                    var work = await walker.WalkAsync(snapshot.Tree, upload, cancellationToken).ConfigureAwait(false);
                    _progress.BlobsFound(snapshot, work.TreeBlobs + work.DataBlobs, work.TreeBytes + work.DataBytes, work.DataByPack.Count);
                    await PackBlobCopier.CopyAsync(_source, upload, work, _options, _progress, cancellationToken).ConfigureAwait(false);
                    summary.PacksRead += work.DataByPack.Count;
                    batchBytes += work.TreeBytes + work.DataBytes;
                    batch.Add(snapshot);
                }
                await upload.CommitAsync(cancellationToken).ConfigureAwait(false);
                summary.DataBlobs += upload.Statistics.DataBlobs;
                summary.TreeBlobs += upload.Statistics.TreeBlobs;
                summary.DataAdded += upload.Statistics.DataAdded;
                summary.DataAddedPacked += upload.Statistics.DataAddedPacked;
                summary.PacksWritten += upload.Statistics.Packs;
            }
            foreach (var snapshot in batch)
            {
                var copy = await SaveCopyAsync(snapshot, cancellationToken).ConfigureAwait(false);
                existing.Add(copy);
                summary.Copied.Add((snapshot.Id!.Value, copy.Id!.Value));
                _progress.SnapshotSaved(snapshot, copy.Id!.Value);
            }
        }
        return summary;
    }

    /// <summary>Writes the destination's version of <paramref name="source"/>: no parent (it means nothing there), <c>original</c> kept or set.</summary>
    private async Task<Snapshot> SaveCopyAsync(Snapshot source, CancellationToken cancellationToken)
    {
        var copy = Snapshot.Parse(source.Encode());
        copy.Parent = null;
        copy.Original ??= source.Id;
        copy.Id = new SnapshotId(await _destination.SaveUnpackedAsync(FileType.Snapshot, copy.Encode(), cancellationToken).ConfigureAwait(false));
        return copy;
    }
}
