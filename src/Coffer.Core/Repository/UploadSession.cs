using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using Coffer.Core.Compression;
using Coffer.Core.Index;
using Coffer.Core.Packing;
using Coffer.Core.Primitives;
using Coffer.Storage;

namespace Coffer.Core.Repository;

/// <summary>
/// A write session: blobs go into packs (one open pack per concurrent caller and blob type), full packs
/// are uploaded by background workers, and index files are written only for packs that are stored.
/// <see cref="CommitAsync"/> flushes everything; disposing without commit discards open packs and
/// stops the uploads (what was uploaded stays unreferenced until prune). Thread-safe: many callers may
/// save blobs at once.
/// </summary>
public sealed class UploadSession : IAsyncDisposable
{
    private readonly Repository _repository;
    private readonly UploadOptions _options;
    private readonly ConcurrentDictionary<BlobHandle, byte> _pending = new();
    // One open pack per blob type: callers compress in parallel, then seal and append under the lock.
    private readonly PackWriter?[] _writers = new PackWriter?[2];
    private readonly Lock[] _writerLocks = [new(), new()];
    // Blob count of the last full pack per type: sizes the next pack's entry list.
    private readonly int[] _lastPackBlobs = new int[2];
    private readonly Channel<FinishedPack> _uploads;
    private readonly Task[] _uploaders;
    private readonly CancellationTokenSource _stop;
    private readonly Lock _indexLock = new();
    private readonly int _dataLevel;
    private readonly int _treeLevel;
    private IndexFile _unsavedIndex = new();
    private Exception? _uploadFailure;
    private bool _committed;

    internal UploadSession(Repository repository, UploadOptions options, CancellationToken cancellationToken)
    {
        _repository = repository;
        _options = options;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _dataLevel = options.Compression == CompressionMode.Off ? 0 : Zstd.LevelFor(options.Compression);
        _treeLevel = Zstd.LevelFor(options.Compression == CompressionMode.Max ? CompressionMode.Max : CompressionMode.Auto);
        _uploads = Channel.CreateBounded<FinishedPack>(new BoundedChannelOptions(1)
        {
            SingleWriter = false,
            SingleReader = false,
        });
        _uploaders = Enumerable.Range(0, Math.Max(1, options.UploadConcurrency)).Select(_ => Task.Run(UploadLoopAsync)).ToArray();
    }

    /// <summary>What this session added.</summary>
    public UploadStatistics Statistics { get; } = new();

    /// <summary>True when the blob is stored already or was saved in this session.</summary>
    public bool Contains(BlobHandle handle) => _pending.ContainsKey(handle) || (!_options.Repack && _repository.Index.Contains(handle));

    /// <summary>
    /// Stores a blob unless the repository or this session has it. The plaintext is only read during the
    /// call (it is compressed and sealed before returning or awaiting). Returns true when it was new.
    /// The id must be the SHA-256 of <paramref name="plaintext"/>.
    /// </summary>
    public ValueTask<bool> SaveAsync(BlobType type, BlobId id, ReadOnlyMemory<byte> plaintext, CancellationToken cancellationToken) =>
        SaveCoreAsync(new BlobHandle(id, type), plaintext, 0, StoreAs.Plaintext, cancellationToken);

    /// <summary>
    /// Stores a blob as sealed bytes taken from another pack of this repository (same key), unless this
    /// session (or, when not repacking, the repository) has it. <paramref name="uncompressedLength"/> is the
    /// index's value for the stored copy (0 when it is not compressed). The caller has verified the bytes.
    /// Returns true when it was new.
    /// </summary>
    public ValueTask<bool> SaveSealedAsync(BlobHandle handle, ReadOnlyMemory<byte> stored, uint uncompressedLength, CancellationToken cancellationToken)
    {
        if (uncompressedLength != 0 && !_repository.Config.SupportsCompression)
        {
            throw new InvalidOperationException("a compressed blob cannot go into a version 1 repository");
        }
        return SaveCoreAsync(handle, stored, uncompressedLength, StoreAs.Sealed, cancellationToken);
    }

    /// <summary>
    /// Stores a blob from a prepared payload: zstd-compressed bytes of a plaintext of
    /// <paramref name="uncompressedLength"/> (&gt; 0) bytes, sealed as they are (a format 2 repository only), unless
    /// this session (or, when not repacking, the repository) has it. Returns true when it was new.
    /// </summary>
    public ValueTask<bool> SaveCompressedAsync(BlobHandle handle, ReadOnlyMemory<byte> payload, uint uncompressedLength, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfZero(uncompressedLength);
        if (!_repository.Config.SupportsCompression)
        {
            throw new InvalidOperationException("a compressed blob cannot go into a version 1 repository");
        }
        return SaveCoreAsync(handle, payload, uncompressedLength, StoreAs.Payload, cancellationToken);
    }

    /// <summary>Skips a blob the session (or, unless repacking, the repository) has; else packs it and hands on a full pack.</summary>
    private async ValueTask<bool> SaveCoreAsync(BlobHandle handle, ReadOnlyMemory<byte> bytes, uint uncompressedLength, StoreAs storeAs, CancellationToken cancellationToken)
    {
        if ((!_options.Repack && _repository.Index.Contains(handle)) || !_pending.TryAdd(handle, 0))
        {
            return false;
        }
        var finished = AddToPack(handle, bytes.Span, uncompressedLength, storeAs);
        if (finished is not null)
        {
            await EnqueueAsync(finished, cancellationToken).ConfigureAwait(false);
        }
        return true;
    }

    /// <summary>What the bytes handed to <see cref="AddToPack"/> are.</summary>
    private enum StoreAs
    {
        /// <summary>Plaintext: compressed when that pays, then sealed.</summary>
        Plaintext,

        /// <summary>A compressed payload: sealed as it is.</summary>
        Payload,

        /// <summary>Sealed bytes from another pack of this repository: appended as they are.</summary>
        Sealed,
    }

    private FinishedPack? AddToPack(BlobHandle handle, ReadOnlySpan<byte> bytes, uint uncompressedLength, StoreAs storeAs)
    {
        var level = handle.Type == BlobType.Tree ? _treeLevel : _dataLevel;
        NativeBuffer? compressed = null;
        var compressedLength = 0;
        if (storeAs == StoreAs.Plaintext)
        {
            compressed = PackWriter.TryCompress(bytes, level, _repository.Config.SupportsCompression, out compressedLength);
        }
        try
        {
            var type = (int)handle.Type;
            lock (_writerLocks[type])
            {
                var writer = _writers[type] ??= new PackWriter(_repository.Key, _repository.Config.SupportsCompression, _options.PackSize + (1 << 20), expectedBlobs: _lastPackBlobs[type] + _lastPackBlobs[type] / 8);
                PackedBlob entry;
                if (storeAs == StoreAs.Sealed)
                {
                    entry = writer.AddSealed(handle, bytes, uncompressedLength);
                }
                else if (storeAs == StoreAs.Payload)
                {
                    entry = writer.AddPayload(handle, bytes, uncompressedLength);
                }
                else if (compressed is null)
                {
                    entry = writer.AddPayload(handle, bytes, 0);
                }
                else
                {
                    entry = writer.AddPayload(handle, compressed.GetSpan()[..compressedLength], (uint)bytes.Length);
                }
                Interlocked.Increment(ref handle.Type == BlobType.Tree ? ref Statistics.TreeBlobsField : ref Statistics.DataBlobsField);
                Interlocked.Add(ref Statistics.DataAddedField, entry.PlaintextLength);
                Interlocked.Add(ref Statistics.DataAddedPackedField, entry.Length);
                if (writer.Size < _options.PackSize && writer.HeaderSize <= PackLayout.MaxHeaderSize - 4096)
                {
                    return null;
                }
                _writers[type] = null;
                _lastPackBlobs[type] = writer.Count;
                using (writer)
                {
                    return writer.Finish();
                }
            }
        }
        finally
        {
            if (compressed is not null)
            {
                BlobBufferPool.Shared.Return(compressed);
            }
        }
    }

    private async ValueTask EnqueueAsync(FinishedPack pack, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stop.Token);
        try
        {
            await _uploads.Writer.WriteAsync(pack, linked.Token).ConfigureAwait(false);
        }
        catch
        {
            pack.Dispose();
            ThrowIfUploadFailed();
            throw;
        }
    }

    private void ThrowIfUploadFailed()
    {
        if (Volatile.Read(ref _uploadFailure) is { } failure)
        {
            ExceptionDispatchInfo.Throw(failure);
        }
        foreach (var t in _uploaders)
        {
            if (t.IsFaulted)
            {
                t.GetAwaiter().GetResult();
            }
        }
    }

    private async Task UploadLoopAsync()
    {
        try
        {
            await foreach (var pack in _uploads.Reader.ReadAllAsync(_stop.Token).ConfigureAwait(false))
            {
                using (pack)
                {
                    if (!_options.DryRun)
                    {
                        await _repository.Backend.SaveAsync(new FileHandle(FileType.Pack, pack.Id.ToString()), pack.Bytes, _stop.Token).ConfigureAwait(false);
                    }
                    Interlocked.Increment(ref Statistics.PacksField);
                    _repository.Index.Add(pack.Id, pack.Blobs);
                    foreach (var blob in pack.Blobs)
                    {
                        // Indexed now: the index answers for it, the pending set need not.
                        _pending.TryRemove(blob.Handle, out _);
                    }
                    IndexFile? full = null;
                    lock (_indexLock)
                    {
                        _unsavedIndex.Packs.Add(new IndexPack(pack.Id, pack.Blobs));
                        if (_unsavedIndex.BlobCount >= _options.IndexFlushBlobs)
                        {
                            full = _unsavedIndex;
                            _unsavedIndex = new IndexFile();
                        }
                    }
                    if (full is not null)
                    {
                        await SaveIndexAsync(full, _stop.Token).ConfigureAwait(false);
                    }
                }
            }
        }
        catch (Exception e)
        {
            // Stop the other workers and the callers; the first failure is rethrown by CommitAsync. It is
            // recorded before cancelling: a caller woken by the cancellation must find the cause, and this
            // task is not faulted until after the cancellation callbacks have run.
            if (e is not OperationCanceledException || !_stop.IsCancellationRequested)
            {
                Interlocked.CompareExchange(ref _uploadFailure, e, null);
            }
            await _stop.CancelAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task SaveIndexAsync(IndexFile index, CancellationToken cancellationToken)
    {
        if (index.Packs.Count == 0 || _options.DryRun)
        {
            return;
        }
        using var json = new NativeBufferWriter(index.EncodedSizeEstimate);
        index.EncodeTo(json);
        await _repository.SaveUnpackedAsync(FileType.Index, json.WrittenMemory, cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref Statistics.IndexFilesField);
    }

    /// <summary>
    /// Finishes every open pack, waits for all uploads and writes the index for them. After this returns,
    /// every blob saved in the session is durable and indexed, so a snapshot may refer to it.
    /// </summary>
    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        for (var type = 0; type < _writers.Length; type++)
        {
            PackWriter? writer;
            lock (_writerLocks[type])
            {
                writer = _writers[type];
                _writers[type] = null;
            }
            if (writer is null)
            {
                continue;
            }
            using (writer)
            {
                if (writer.Count > 0)
                {
                    await EnqueueAsync(writer.Finish(), cancellationToken).ConfigureAwait(false);
                }
            }
        }
        _uploads.Writer.Complete();
        try
        {
            await Task.WhenAll(_uploaders).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            ThrowIfUploadFailed();
            throw;
        }
        IndexFile last;
        lock (_indexLock)
        {
            last = _unsavedIndex;
            _unsavedIndex = new IndexFile();
        }
        await SaveIndexAsync(last, cancellationToken).ConfigureAwait(false);
        _committed = true;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!_committed)
        {
            await _stop.CancelAsync().ConfigureAwait(false);
            _uploads.Writer.TryComplete();
            for (var type = 0; type < _writers.Length; type++)
            {
                lock (_writerLocks[type])
                {
                    _writers[type]?.Dispose();
                    _writers[type] = null;
                }
            }
            try
            {
                await Task.WhenAll(_uploaders).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Discarding: failures of abandoned uploads do not matter.
            }
            while (_uploads.Reader.TryRead(out var pack))
            {
                pack.Dispose();
            }
        }
        _stop.Dispose();
    }
}
