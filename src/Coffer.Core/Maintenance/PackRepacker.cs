using System.Collections.Concurrent;
using Coffer.Core.Compression;
using Coffer.Core.Packing;
using Coffer.Core.Primitives;
using Coffer.Core.Repository;
using Coffer.Storage;
using Repo = Coffer.Core.Repository.Repository;

namespace Coffer.Core.Maintenance;

/// <summary>
/// Writes the blobs a prune keeps from packs it repacks into new packs. Packs are read in parallel (one ranged
/// read per pack, covering its needed blobs), every blob is verified (MAC, decompression, hash) before it is
/// written, each blob is written once, and blobs stay sealed as they are unless stored uncompressed in a format 2
/// repository (then they are compressed).
/// </summary>
internal static class PackRepacker
{
    private const int MaxWorkers = 4;

    public static async Task<long> RepackAsync(Repo repository, PrunePlan plan, IPruneReport report, CancellationToken cancellationToken)
    {
        var remaining = new ConcurrentDictionary<BlobHandle, byte>(plan.KeepBlobs.Select(h => KeyValuePair.Create(h, (byte)0)));
        var options = new UploadOptions
        {
            Repack = true,
            Compression = repository.Compression,
            UploadConcurrency = 2,
        };
        var session = repository.BeginUpload(options, cancellationToken);
        await using (session.ConfigureAwait(false))
        {
            // Each worker holds one pack's needed range (up to a pack) in memory.
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Clamp(Environment.ProcessorCount, 2, MaxWorkers), CancellationToken = cancellationToken };
            await Parallel.ForEachAsync(plan.Repack, parallel, async (pack, ct) =>
            {
                var wanted = plan.Index.Packs[pack].Where(b => remaining.ContainsKey(b.Handle)).OrderBy(b => b.Offset).ToList();
                if (wanted.Count > 0)
                {
                    await CopyAsync(repository, session, pack, wanted, remaining, ct).ConfigureAwait(false);
                }
            }).ConfigureAwait(false);
            await session.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        if (!remaining.IsEmpty)
        {
            throw new CofferException($"internal error: {remaining.Count} blobs were not repacked; no indexed pack was deleted");
        }
        return session.Statistics.Packs;
    }

    /// <summary>
    /// In format 2 a repacked blob stored uncompressed is compressed (as restic does), data blobs unless compression
    /// is off; empty blobs stay as they are.
    /// </summary>
    private static bool MustCompress(Repo repository, PackedBlob blob, int length) =>
        repository.Config.SupportsCompression && !blob.IsCompressed && length > 0
        && (blob.Handle.Type == BlobType.Tree || repository.Compression != CompressionMode.Off);

    /// <summary>Compresses and stores a blob even when the frame is not smaller, so it never counts as uncompressed again.</summary>
    private static async Task SaveCompressedAsync(Repo repository, UploadSession session, BlobHandle handle, ReadOnlyMemory<byte> plaintext, CancellationToken cancellationToken)
    {
        var level = Zstd.LevelFor(handle.Type == BlobType.Data ? repository.Compression : CompressionMode.Auto);
        var frame = BlobBufferPool.Shared.Rent(Zstd.CompressBound(plaintext.Length));
        try
        {
            var written = Zstd.Compress(plaintext.Span, frame.GetSpan(), level);
            await session.SaveCompressedAsync(handle, frame.Memory[..written], (uint)plaintext.Length, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            BlobBufferPool.Shared.Return(frame);
        }
    }

    private static async Task CopyAsync(Repo repository, UploadSession session, PackId pack, List<PackedBlob> wanted,
        ConcurrentDictionary<BlobHandle, byte> remaining, CancellationToken cancellationToken)
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
                if (MustCompress(repository, blob, length))
                {
                    await SaveCompressedAsync(repository, session, blob.Handle, plaintext.Memory[..length], cancellationToken).ConfigureAwait(false);
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
