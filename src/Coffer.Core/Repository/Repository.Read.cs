using Coffer.Core.Compression;
using Coffer.Core.Index;
using Coffer.Core.Model;
using Coffer.Core.Packing;
using Coffer.Core.Primitives;
using Coffer.Storage;

namespace Coffer.Core.Repository;

// The read side: index, blobs, trees and snapshots.
public sealed partial class Repository
{
    /// <summary>
    /// Loads every index file into a new <see cref="MasterIndex"/> (files read in parallel) and makes it
    /// current. Returns the ids of the index files loaded. With an <see cref="IndexCache"/>, the cached union of the
    /// files it was built from is taken instead of reading them, only the files added since are read, and the
    /// cache is brought up to date.
    /// </summary>
    public async Task<List<Id>> LoadIndexAsync(CancellationToken cancellationToken, IProgress<int>? progress = null)
    {
        var ids = await ListIdsAsync(FileType.Index, cancellationToken).ConfigureAwait(false);
        var cached = IndexCache?.TryLoad(this, ids);
        var index = cached?.Index ?? new MasterIndex();
        var missing = cached is { Covered: var covered } ? ids.Where(id => !covered.Contains(id)).ToList() : ids;
        var done = ids.Count - missing.Count;
        if (done > 0)
        {
            progress?.Report(done);
        }
        await Parallel.ForEachAsync(missing, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(2, Environment.ProcessorCount), CancellationToken = cancellationToken },
            async (id, ct) =>
            {
                var file = await LoadIndexFileAsync(id, ct).ConfigureAwait(false);
                index.Add(file);
                progress?.Report(Interlocked.Increment(ref done));
            }).ConfigureAwait(false);
        Index = index;
        if (IndexCache is not null && (cached is null || missing.Count > 0))
        {
            IndexCache.Save(this, index, ids);
        }
        return ids;
    }

    /// <summary>Makes <paramref name="index"/> the current index (one a caller loaded its own way).</summary>
    public void UseIndex(MasterIndex index)
    {
        ArgumentNullException.ThrowIfNull(index);
        Index = index;
    }

    /// <summary>
    /// Loads and parses one index file. The stored bytes, the plaintext and the JSON live in unmanaged buffers
    /// freed at once: index files run to tens of megabytes, and as managed arrays they would sit on the
    /// large-object heap until the next full collection.
    /// </summary>
    public async Task<IndexFile> LoadIndexFileAsync(Id id, CancellationToken cancellationToken)
    {
        var handle = new FileHandle(FileType.Index, id.ToString());
        var name = handle.ToString();
        var size = await Backend.GetSizeAsync(handle, cancellationToken).ConfigureAwait(false);
        if (size < PackLayout.CryptoOverhead + 1 || size > MaxUnpackedSize)
        {
            // Too short to hold anything, or too large to be an index: the managed path reports it.
            return ParseIndex(await LoadUnpackedAsync(FileType.Index, id, cancellationToken).ConfigureAwait(false), name);
        }
        using var stored = new NativeBuffer((int)size);
        await Backend.ReadAtAsync(handle, 0, stored.Memory, cancellationToken).ConfigureAwait(false);
        if (Primitives.Id.Hash(stored.GetSpan()) != id)
        {
            throw new RepositoryCorruptException(name, "content does not match its name (file damaged or truncated)");
        }
        using var plain = new NativeBuffer((int)size - PackLayout.CryptoOverhead);
        if (!Key.TryOpen(stored.GetSpan(), plain.GetSpan()))
        {
            throw new RepositoryCorruptException(name, "ciphertext verification failed");
        }
        var text = plain.GetSpan();
        if (text[0] is (byte)'{' or (byte)'[')
        {
            return ParseIndex(text, name);
        }
        if (text[0] != 2)
        {
            return ParseIndex(DecodeUnpacked(text.ToArray(), name), name);
        }
        var jsonLength = Zstd.SingleFrameContentSize(text[1..]);
        if (jsonLength < 0 || jsonLength > MaxUnpackedSize)
        {
            return ParseIndex(DecodeUnpacked(text.ToArray(), name), name);
        }
        using var json = new NativeBuffer((int)Math.Max(1, jsonLength));
        try
        {
            Zstd.DecompressKnownSize(text[1..], json.GetSpan()[..(int)jsonLength]);
        }
        catch (InvalidDataException e)
        {
            throw new RepositoryCorruptException(name, $"decompression failed: {e.Message}", inner: e);
        }
        return ParseIndex(json.GetSpan()[..(int)jsonLength], name);
    }

    private static IndexFile ParseIndex(ReadOnlySpan<byte> json, string name)
    {
        try
        {
            return IndexFile.Parse(json);
        }
        catch (InvalidDataException e)
        {
            throw new RepositoryCorruptException(name, e.Message, inner: e);
        }
    }

    /// <summary>
    /// Loads a blob's plaintext through the index, verified. When a copy is damaged the other copies
    /// are tried. Throws <see cref="RepositoryCorruptException"/> when no copy is good or the blob is
    /// not in the index.
    /// </summary>
    public async Task<byte[]> LoadBlobAsync(BlobHandle handle, CancellationToken cancellationToken)
    {
        var copies = Index.LookupAll(handle);
        if (copies.Count == 0)
        {
            throw new RepositoryCorruptException("index", "blob not found in the index", handle.ToString());
        }
        Exception? last = null;
        foreach (var copy in copies)
        {
            try
            {
                return await LoadBlobAsync(copy, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is RepositoryCorruptException or BackendException)
            {
                last = e;
            }
        }
        throw last is RepositoryCorruptException rc ? rc
            : new RepositoryCorruptException($"data/{copies[0].Pack}", last?.Message ?? "unreadable", handle.ToString(), last);
    }

    /// <summary>Loads one specific copy of a blob, verified.</summary>
    public async Task<byte[]> LoadBlobAsync(IndexedBlob copy, CancellationToken cancellationToken)
    {
        var handle = new FileHandle(FileType.Pack, copy.Pack.ToString());
        var stored = new byte[copy.Blob.Length];
        await Backend.ReadAtAsync(handle, copy.Blob.Offset, stored, cancellationToken).ConfigureAwait(false);
        return BlobCodec.Open(Key, stored, copy.Blob, handle.ToString());
    }

    /// <summary>Loads and parses a tree blob.</summary>
    public async Task<Tree> LoadTreeAsync(BlobId id, CancellationToken cancellationToken)
    {
        var json = await LoadBlobAsync(new BlobHandle(id, BlobType.Tree), cancellationToken).ConfigureAwait(false);
        try
        {
            return Tree.Parse(json);
        }
        catch (InvalidDataException e)
        {
            throw new RepositoryCorruptException("tree", e.Message, id.ToString(), e);
        }
    }

    /// <summary>Loads one snapshot file.</summary>
    public async Task<Snapshot> LoadSnapshotAsync(SnapshotId id, CancellationToken cancellationToken)
    {
        var json = await LoadUnpackedAsync(FileType.Snapshot, id.Value, cancellationToken).ConfigureAwait(false);
        try
        {
            var snapshot = Snapshot.Parse(json);
            snapshot.Id = id;
            return snapshot;
        }
        catch (InvalidDataException e)
        {
            throw new RepositoryCorruptException($"snapshots/{id}", e.Message, inner: e);
        }
    }

    /// <summary>Loads every snapshot, sorted by time (oldest first). Files that fail to load are reported to <paramref name="onError"/> or thrown.</summary>
    public async Task<List<Snapshot>> LoadSnapshotsAsync(CancellationToken cancellationToken, Action<Id, Exception>? onError = null)
    {
        var ids = await ListIdsAsync(FileType.Snapshot, cancellationToken).ConfigureAwait(false);
        var result = new Snapshot?[ids.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, ids.Count), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                try
                {
                    result[i] = await LoadSnapshotAsync(new SnapshotId(ids[i]), ct).ConfigureAwait(false);
                }
                catch (Exception e) when (onError is not null && e is RepositoryCorruptException or BackendException)
                {
                    onError(ids[i], e);
                }
            }).ConfigureAwait(false);
        var list = result.Where(s => s is not null).Select(s => s!).ToList();
        list.Sort((a, b) => a.Time.CompareTo(b.Time) is var c && c != 0 ? c : a.Id!.Value.CompareTo(b.Id!.Value));
        return list;
    }
}
