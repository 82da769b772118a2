using System.Collections.Concurrent;
using Coffer.Core.Packing;
using Coffer.Core.Primitives;
using Coffer.Core.Repository;
using Coffer.Storage;
using Repo = Coffer.Core.Repository.Repository;

namespace Coffer.Core.Maintenance;

/// <summary>
/// Writes the blobs a prune keeps from packs it repacks into new packs. Packs are read in parallel (one ranged
/// read per pack, covering its needed blobs), every blob is verified (MAC, decompression, hash) before it is
/// written, each blob is written once, and blobs stay sealed as they are unless they must be compressed.
/// </summary>
internal static class PackRepacker
{
    public static async Task<long> RepackAsync(Repo repository, PrunePlan plan, IPruneReport report, CancellationToken cancellationToken)
    {
        var remaining = new ConcurrentDictionary<BlobHandle, byte>(plan.KeepBlobs.Select(h => KeyValuePair.Create(h, (byte)0)));
        var options = new UploadOptions
        {
            Repack = true,
            Compression = repository.Compression,
            UploadConcurrency = 2,
        };
        long done = 0;
        var session = repository.BeginUpload(options, cancellationToken);
        await using (session.ConfigureAwait(false))
        {
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(2, Environment.ProcessorCount), CancellationToken = cancellationToken };
            await Parallel.ForEachAsync(plan.Repack, parallel, async (pack, ct) =>
            {
                var wanted = plan.Index.Packs[pack].Where(b => remaining.ContainsKey(b.Handle)).OrderBy(b => b.Offset).ToList();
                if (wanted.Count > 0)
                {
                    await CopyAsync(repository, session, pack, wanted, remaining, plan.Compress.Contains(pack), ct).ConfigureAwait(false);
                }
                report.Progress(Interlocked.Increment(ref done), plan.Repack.Count);
            }).ConfigureAwait(false);
            await session.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        if (!remaining.IsEmpty)
        {
            throw new CofferException($"internal error: {remaining.Count} blobs were not repacked; nothing was deleted");
        }
        return session.Statistics.Packs;
    }

    private static async Task CopyAsync(Repo repository, UploadSession session, PackId pack, List<PackedBlob> wanted,
        ConcurrentDictionary<BlobHandle, byte> remaining, bool compress, CancellationToken cancellationToken)
    {
        var file = new FileHandle(FileType.Pack, pack.ToString());
        var start = wanted[0].Offset;
        var end = wanted.Max(b => (long)b.Offset + b.Length);
        using var buffer = new NativeBuffer(checked((int)(end - start)));
        await repository.Backend.ReadAtAsync(file, start, buffer.Memory, cancellationToken).ConfigureAwait(false);
        foreach (var blob in wanted)
        {
            if (!remaining.TryRemove(blob.Handle, out _))
            {
                continue; // Written from another pack's copy.
            }
            var stored = buffer.Memory.Slice((int)(blob.Offset - start), (int)blob.Length);
            var plaintext = BlobBufferPool.Shared.Rent(BlobCodec.CheckedPlaintextLength(blob, file.ToString()));
            try
            {
                // Verifies MAC, decompression and hash; a damaged blob stops the prune before anything is deleted.
                var length = BlobCodec.Open(repository.Key, stored.Span, blob, file.ToString(), plaintext.GetSpan());
                if (compress && !blob.IsCompressed)
                {
                    await session.SaveAsync(blob.Handle.Type, blob.Handle.Id, plaintext.Memory[..length], cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await session.SaveSealedAsync(blob.Handle, stored, blob.UncompressedLength, cancellationToken).ConfigureAwait(false);
                }
            }
            finally
            {
                BlobBufferPool.Shared.Return(plaintext);
            }
        }
    }
}
