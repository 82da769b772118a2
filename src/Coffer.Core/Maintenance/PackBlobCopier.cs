using Coffer.Core.Packing;
using Coffer.Core.Primitives;
using Coffer.Core.Repository;
using Coffer.Storage;
using Repo = Coffer.Core.Repository.Repository;

namespace Coffer.Core.Maintenance;

/// <summary>
/// Copies data blobs pack by pack: the needed blobs of a source pack, sorted by offset, are read in ranged reads
/// (neighbours together, up to <see cref="CopyOptions.MaxReadBytes"/>), each blob is opened with the source key
/// (MAC, decompression, hash against its id) and handed as plaintext to the destination's upload session, which
/// compresses and encrypts it with the destination key. <see cref="CopyOptions.PackReaders"/> packs are read at a
/// time, each holding one read buffer and one plaintext buffer. A blob whose copy fails to read or verify is
/// loaded through the source index instead, which tries the other copies; only when none is good does the copy fail.
/// </summary>
internal static class PackBlobCopier
{
    public static async Task CopyAsync(Repo source, UploadSession upload, CopyWork work, CopyOptions options, ICopyProgress progress, CancellationToken cancellationToken)
    {
        var packs = work.DataByPack.OrderBy(p => p.Key.Value).ToList();
        var done = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.PackReaders), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(packs, parallel, async (pack, ct) =>
        {
            pack.Value.Sort(static (a, b) => a.Offset.CompareTo(b.Offset));
            await CopyPackAsync(source, upload, pack.Key, pack.Value, options, ct).ConfigureAwait(false);
            progress.PackCopied(Interlocked.Increment(ref done), packs.Count);
        }).ConfigureAwait(false);
    }

    private static async Task CopyPackAsync(Repo source, UploadSession upload, PackId pack, List<PackedBlob> blobs, CopyOptions options, CancellationToken cancellationToken)
    {
        var handle = new FileHandle(FileType.Pack, pack.ToString());
        var name = $"data/{pack}";
        var first = 0;
        while (first < blobs.Count)
        {
            // One range: neighbours within the gap limit, up to the read limit (a larger blob alone).
            long start = blobs[first].Offset;
            long end = start + blobs[first].Length;
            var last = first + 1;
            while (last < blobs.Count)
            {
                var next = blobs[last];
                long nextEnd = Math.Max(end, next.Offset + (long)next.Length);
                if (next.Offset - end > options.MaxReadGap || nextEnd - start > options.MaxReadBytes)
                {
                    break;
                }
                end = nextEnd;
                last++;
            }
            var length = (int)Math.Min(end - start, BlobCodec.MaxBlobPlaintext + (1L << 20));
            using (var buffer = new NativeBuffer(length))
            {
                var read = false;
                try
                {
                    await source.Backend.ReadAtAsync(handle, start, buffer.Memory[..length], cancellationToken).ConfigureAwait(false);
                    read = true;
                }
                catch (BackendException)
                {
                    // Each blob of the range is loaded on its own below, from whichever copy is good.
                }
                for (var i = first; i < last; i++)
                {
                    var blob = blobs[i];
                    var offset = blob.Offset - start;
                    var stored = read && offset + blob.Length <= length ? buffer.Memory.Slice((int)offset, (int)blob.Length) : (Memory<byte>?)null;
                    await CopyBlobAsync(source, upload, blob, stored, name, cancellationToken).ConfigureAwait(false);
                }
            }
            first = last;
        }
    }

    private static async Task CopyBlobAsync(Repo source, UploadSession upload, PackedBlob blob, Memory<byte>? stored, string file, CancellationToken cancellationToken)
    {
        if (stored is { } bytes)
        {
            var length = BlobCodec.CheckedPlaintextLength(blob, file);
            if (length <= BlobBufferPool.MaxLength)
            {
                var plaintext = BlobBufferPool.Shared.Rent(Math.Max(1, length));
                try
                {
                    BlobCodec.Open(source.Key, bytes.Span, blob, file, plaintext.GetSpan());
                    // The session has compressed and sealed the plaintext when the call returns.
                    await upload.SaveAsync(BlobType.Data, blob.Handle.Id, plaintext.Memory[..length], cancellationToken).ConfigureAwait(false);
                    return;
                }
                catch (RepositoryCorruptException)
                {
                    // Fall back to the index's other copies below.
                }
                finally
                {
                    BlobBufferPool.Shared.Return(plaintext);
                }
            }
        }
        var loaded = await source.LoadBlobAsync(blob.Handle, cancellationToken).ConfigureAwait(false);
        await upload.SaveAsync(BlobType.Data, blob.Handle.Id, loaded, cancellationToken).ConfigureAwait(false);
    }
}
