using System.Collections.Concurrent;
using Coffer.Core.Crypto;
using Coffer.Core.Interop;
using Coffer.Core.Packing;
using Coffer.Core.Primitives;
using Coffer.Storage;
using Microsoft.Win32.SafeHandles;

namespace Coffer.Core.Restorer;

/// <summary>
/// Writes file content pack by pack: a bounded number of workers each take a pack, read its needed blobs with a
/// few ranged reads (neighbours coalesced, at most <see cref="RestoreOptions.MaxReadSize"/> per read, into a
/// reused buffer), open each blob once (MAC, decompression, hash) and write the plaintext with <c>pwrite</c> to
/// every file and offset that needs it. A file is created (with <c>O_EXCL|O_NOFOLLOW</c>, pre-sized) on its first
/// blob; when its last blob is written its metadata is set and it is counted done. A blob that cannot be read or
/// verified is tried from other packs holding it; failing that, every file needing it is marked failed (and later
/// removed), never written with wrong or zero bytes.
/// </summary>
internal sealed class ContentWriter(Repository.Repository repository, RestoreOptions options, TargetTree target, MetadataWriter metadata, RestoreCounters counters)
{
    private const int MaxGap = 256 * 1024;
    private const int SparseBlock = 4096;

    private readonly ConcurrentBag<WorkerBuffers> _buffers = [];

    /// <summary>Processes every pack; returns when all are done. Cancellation stops between blobs.</summary>
    public async Task RunAsync(List<PackWork> packs, CancellationToken cancellationToken)
    {
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.PackReaders), CancellationToken = cancellationToken };
        try
        {
            await Parallel.ForEachAsync(packs, parallel, async (pack, ct) =>
            {
                if (!_buffers.TryTake(out var buffers))
                {
                    buffers = new WorkerBuffers();
                }
                try
                {
                    await ProcessPackAsync(pack, buffers, ct).ConfigureAwait(false);
                }
                finally
                {
                    _buffers.Add(buffers);
                }
            }).ConfigureAwait(false);
        }
        finally
        {
            while (_buffers.TryTake(out var done))
            {
                done.Dispose();
            }
        }
    }

    private async Task ProcessPackAsync(PackWork pack, WorkerBuffers buffers, CancellationToken cancellationToken)
    {
        var handle = new FileHandle(FileType.Pack, pack.Pack.ToString());
        var fileName = $"data/{pack.Pack}";
        var open = new Dictionary<PlannedEntry, SafeFileHandle>(ReferenceEqualityComparer.Instance);
        try
        {
            foreach (var range in pack.Ranges(Math.Max(options.MaxReadSize, 64 * 1024), MaxGap))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (AllUsesFailed(pack, range))
                {
                    continue;
                }
                Exception? readError = null;
                Memory<byte> data = default;
                if (range.Length > BlobCodec.MaxBlobPlaintext + (1 << 20))
                {
                    readError = new RepositoryCorruptException(fileName, $"absurd stored blob length {range.Length} in the index");
                }
                else
                {
                    data = buffers.Read(range.Length);
                    try
                    {
                        await repository.Backend.ReadAtAsync(handle, range.Start, data, cancellationToken).ConfigureAwait(false);
                    }
                    catch (BackendException e)
                    {
                        readError = e;
                    }
                }
                for (var b = range.First; b < range.First + range.Count; b++)
                {
                    var work = pack.Blobs[b];
                    if (work.AllUsesFailed())
                    {
                        continue;
                    }
                    var error = readError;
                    ReadOnlyMemory<byte>? plain = null;
                    var length = 0;
                    if (error is null)
                    {
                        try
                        {
                            var decoded = buffers.Plain(BlobCodec.CheckedPlaintextLength(work.Blob, fileName));
                            var stored = data.Span.Slice((int)(work.Blob.Offset - range.Start), (int)work.Blob.Length);
                            // A compressed blob is decrypted in place, in the read buffer (each blob's bytes are
                            // opened once), then decompressed into the plaintext buffer.
                            var payload = work.Blob.IsCompressed && stored.Length >= CryptoKey.Overhead ? stored[CryptoKey.IvSize..^CryptoKey.MacSize] : [];
                            length = BlobCodec.Open(repository.Key, stored, work.Blob, fileName, decoded.Span, payload);
                            plain = decoded;
                        }
                        catch (RepositoryCorruptException e)
                        {
                            error = e;
                            plain = null;
                        }
                    }
                    if (plain is null)
                    {
                        var copy = await FromOtherCopyAsync(work, pack.Pack, cancellationToken).ConfigureAwait(false);
                        // Not a conditional expression: null converts to an empty ReadOnlyMemory through byte[].
                        if (copy is not null)
                        {
                            plain = copy;
                            length = copy.Length;
                        }
                    }
                    if (plain is null)
                    {
                        var message = error is RepositoryCorruptException ? error.Message : $"{fileName}: blob {work.Blob.Handle.Id}: {error?.Message}";
                        for (var u = 0; u < work.UseCount; u++)
                        {
                            var use = work.Use(u);
                            use.Entry.Fail($"{use.Entry.DisplayPath}: not restored: {message}");
                        }
                        continue;
                    }
                    Write(work, plain.Value.Span[..length], open);
                }
            }
        }
        finally
        {
            foreach (var h in open.Values)
            {
                h.Dispose();
            }
        }
    }

    private static bool AllUsesFailed(PackWork pack, ReadRange range)
    {
        for (var b = range.First; b < range.First + range.Count; b++)
        {
            if (!pack.Blobs[b].AllUsesFailed())
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Loads the blob from another pack that holds it, verified; null when there is none or none is good.</summary>
    private async Task<byte[]?> FromOtherCopyAsync(BlobWork work, PackId failedPack, CancellationToken cancellationToken)
    {
        foreach (var copy in repository.Index.LookupAll(work.Blob.Handle))
        {
            if (copy.Pack == failedPack)
            {
                continue;
            }
            try
            {
                return await repository.LoadBlobAsync(copy, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is RepositoryCorruptException or BackendException)
            {
                // try the next copy
            }
        }
        return null;
    }

    private void Write(BlobWork work, ReadOnlySpan<byte> plain, Dictionary<PlannedEntry, SafeFileHandle> open)
    {
        for (var u = 0; u < work.UseCount; u++)
        {
            var use = work.Use(u);
            var entry = use.Entry;
            if (entry.Failed)
            {
                continue;
            }
            try
            {
                var handle = Open(entry, open);
                WriteSpan(handle, plain, use.Offset, options.Sparse && !entry.InPlace);
                counters.BytesRestored(plain.Length);
                if (Interlocked.Decrement(ref entry.Remaining) == 0)
                {
                    var known = entry.New ? metadata.Creation.ForNewFile(entry.Directory, entry.Metadata.FileCreateMode, handle) : null;
                    metadata.Apply(handle, entry.Metadata, entry.DisplayPath, known);
                    open.Remove(entry);
                    handle.Dispose();
                    counters.Done(entry.DisplayPath, entry.Action, entry.Size);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
            {
                entry.Fail($"{entry.DisplayPath}: {e.Message}");
            }
        }
    }

    private SafeFileHandle Open(PlannedEntry entry, Dictionary<PlannedEntry, SafeFileHandle> open)
    {
        if (open.TryGetValue(entry, out var cached))
        {
            return cached;
        }
        SafeFileHandle handle;
        using (var dir = target.Acquire(entry.Directory.Index))
        {
            lock (entry)
            {
                if (entry.Created)
                {
                    handle = PosixFileSystem.OpenWriteAt(dir.Handle, entry.Name, create: false);
                }
                else if (entry.InPlace)
                {
                    handle = PosixFileSystem.OpenWriteAt(dir.Handle, entry.Name, create: false);
                    entry.Created = true;
                    if (!PosixFileSystem.FStat(handle).IsRegular)
                    {
                        handle.Dispose();
                        throw new PosixException("open", entry.DisplayPath, PosixErrors.InvalidArgument);
                    }
                    PosixFileSystem.SetLength(handle, entry.Size);
                }
                else
                {
                    handle = PosixFileSystem.OpenWriteAt(dir.Handle, entry.Name, create: true, entry.Metadata.FileCreateMode);
                    entry.Created = true;
                    entry.New = true;
                    Presize(handle, entry);
                }
            }
        }
        open[entry] = handle;
        return handle;
    }

    /// <summary>
    /// Sizes a new file before its blobs arrive: sparse files by <c>ftruncate</c> (holes stay holes), others by
    /// <c>fallocate</c> where the file system has it. A one-blob file needs neither: its write sets the size.
    /// </summary>
    private void Presize(SafeFileHandle handle, PlannedEntry entry)
    {
        if (options.Sparse)
        {
            PosixFileSystem.SetLength(handle, entry.Size);
        }
        else if (entry.Blobs.Length > 1 && !PosixFileSystem.Preallocate(handle, entry.Size))
        {
            PosixFileSystem.SetLength(handle, entry.Size);
        }
    }

    /// <summary>Writes <paramref name="data"/> at <paramref name="offset"/>; with <paramref name="sparse"/>, all-zero blocks are skipped.</summary>
    internal static void WriteSpan(SafeFileHandle handle, ReadOnlySpan<byte> data, long offset, bool sparse)
    {
        if (!sparse)
        {
            PosixFileSystem.WriteAt(handle, data, offset);
            return;
        }
        var pos = 0;
        while (pos < data.Length)
        {
            var len = Math.Min(SparseBlock, data.Length - pos);
            if (!data.Slice(pos, len).ContainsAnyExcept((byte)0))
            {
                pos += len;
                continue;
            }
            var start = pos;
            pos += len;
            while (pos < data.Length)
            {
                len = Math.Min(SparseBlock, data.Length - pos);
                if (!data.Slice(pos, len).ContainsAnyExcept((byte)0))
                {
                    break;
                }
                pos += len;
            }
            PosixFileSystem.WriteAt(handle, data[start..pos], offset + start);
        }
    }
}
