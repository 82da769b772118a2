using System.Security.Cryptography;
using Coffer.Core.Packing;
using Coffer.Core.Primitives;
using Coffer.Storage;

namespace Coffer.Core.Checker;

/// <summary>
/// The read-data step: reads each chosen pack front to back through a window buffer (8 MiB, or the largest
/// blob if that is bigger), hashing everything read, and opens every blob the index lists for it as the
/// window passes (MAC, decompression, SHA-256 against the blob id). At the end the pack's hash must equal its
/// name. Packs are read in parallel, <see cref="CheckOptions.PackReaders"/> at a time, so memory stays at a
/// few window and plaintext buffers whatever the pack sizes.
/// </summary>
internal static class PackDataVerifier
{
    /// <summary>Bytes requested per read, and the window size unless a blob is larger.</summary>
    internal const int WindowSize = 8 << 20;

    private const int MaxWindow = BlobCodec.MaxBlobPlaintext + (1 << 20);

    public static async Task ReadAsync(CheckContext context, CheckedIndex index, Dictionary<PackId, long> stored, ReadDataSubset subset, CancellationToken cancellationToken)
    {
        // The candidates are the indexed packs that exist; missing ones were reported in the packs step.
        var candidates = index.Packs.Keys.Where(stored.ContainsKey).OrderBy(p => p.Value).Select(p => (p, stored[p])).ToList();
        var chosen = subset.Select(candidates, context.Options.Random);
        context.ReadPlanned(new CheckReadPlan(subset, chosen.Count, chosen.Sum(c => c.Size), candidates.Count, candidates.Sum(c => c.Item2)));
        var done = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, context.Options.PackReaders), CancellationToken = cancellationToken };
        // Windows are reused from pack to pack: a fresh mapping per pack costs a page fault per 4 KiB.
        var windows = new System.Collections.Concurrent.ConcurrentBag<NativeBuffer>();
        try
        {
            await Parallel.ForEachAsync(chosen, parallel, async (pack, ct) =>
            {
                await VerifyPackAsync(context, pack.Id, pack.Size, index.Packs[pack.Id], windows, ct).ConfigureAwait(false);
                context.PackRead(Interlocked.Increment(ref done), chosen.Count);
            }).ConfigureAwait(false);
        }
        finally
        {
            while (windows.TryTake(out var window))
            {
                ((IDisposable)window).Dispose();
            }
        }
        context.Result.PacksRead = chosen.Count;
        context.Result.BytesRead = chosen.Sum(c => c.Size);
    }

    private static async Task VerifyPackAsync(CheckContext context, PackId id, long size, List<PackedBlob> indexed,
        System.Collections.Concurrent.ConcurrentBag<NativeBuffer> windows, CancellationToken cancellationToken)
    {
        var name = $"pack {id}";
        var handle = new FileHandle(FileType.Pack, id.ToString());
        var blobs = indexed.OrderBy(b => b.Offset).ThenBy(b => b.Length).ToList();
        // A blob longer than any valid one cannot be opened anyway; the window does not grow for it.
        var largest = blobs.Count == 0 ? 0 : (int)Math.Min(MaxWindow, blobs.Max(b => b.Length));
        var window = windows.TryTake(out var spare) && spare.Length >= Math.Max(WindowSize, largest) ? spare : null;
        if (window is null && spare is not null)
        {
            ((IDisposable)spare).Dispose();
        }
        window ??= new NativeBuffer(Math.Max(WindowSize, largest));
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        try
        {
            long windowStart = 0;
            var filled = 0;
            var next = 0;
            while (windowStart + filled < size)
            {
                // Drop what lies before the next blob (already hashed), keeping the start of that blob.
                var end = windowStart + filled;
                var keepFrom = next < blobs.Count ? Math.Min(blobs[next].Offset, end) : end;
                var drop = (int)(keepFrom - windowStart);
                if (drop > 0)
                {
                    window.GetSpan().Slice(drop, filled - drop).CopyTo(window.GetSpan());
                    filled -= drop;
                    windowStart = keepFrom;
                }
                var count = (int)Math.Min(window.Length - filled, size - end);
                if (count == 0)
                {
                    var tooLong = blobs[next++];
                    context.Error(CheckArea.Pack, id.ToString(), $"{name}: {tooLong.Handle.Type.Name()} blob {tooLong.Handle.Id}: absurd length {tooLong.Length} in the index");
                    continue;
                }
                var target = window.Memory.Slice(filled, count);
                await context.Repository.Backend.ReadAtAsync(handle, end, target, cancellationToken).ConfigureAwait(false);
                hash.AppendData(target.Span);
                filled += count;
                while (next < blobs.Count && blobs[next].Offset + (long)blobs[next].Length <= windowStart + filled)
                {
                    var blob = blobs[next++];
                    var stored = window.Memory.Slice((int)(blob.Offset - windowStart), (int)blob.Length);
                    VerifyBlob(context, id, name, stored, blob);
                }
            }
            for (; next < blobs.Count; next++)
            {
                var blob = blobs[next];
                context.Error(CheckArea.Pack, id.ToString(),
                    $"{name}: {blob.Handle.Type.Name()} blob {blob.Handle.Id}: lies beyond the end of the pack (offset {blob.Offset}, length {blob.Length}, pack size {size})");
            }
            var actual = Id.FromBytes(hash.GetHashAndReset());
            if (actual != id.Value)
            {
                context.Error(CheckArea.Pack, id.ToString(), $"{name}: content does not match its name (its hash is {actual})");
            }
        }
        catch (Exception e) when (e is CofferException or BackendException)
        {
            context.Error(CheckArea.Pack, id.ToString(), $"{name}: could not be read: {RepositoryChecker.Problem(e)}");
        }
        finally
        {
            if (window.Length == WindowSize)
            {
                windows.Add(window);
            }
            else
            {
                ((IDisposable)window).Dispose();
            }
        }
    }

    private static void VerifyBlob(CheckContext context, PackId pack, string name, ReadOnlyMemory<byte> stored, PackedBlob blob)
    {
        NativeBuffer? plaintext = null;
        try
        {
            var length = BlobCodec.CheckedPlaintextLength(blob, name);
            plaintext = length <= BlobBufferPool.MaxLength ? BlobBufferPool.Shared.Rent(Math.Max(1, length)) : new NativeBuffer(length);
            BlobCodec.Open(context.Repository.Key, stored.Span, blob, name, plaintext.GetSpan());
        }
        catch (RepositoryCorruptException e)
        {
            context.Error(CheckArea.Pack, pack.ToString(), e.Message);
        }
        finally
        {
            if (plaintext is not null)
            {
                if (plaintext.Length <= BlobBufferPool.MaxLength)
                {
                    BlobBufferPool.Shared.Return(plaintext);
                }
                else
                {
                    ((IDisposable)plaintext).Dispose();
                }
            }
        }
    }
}
