using System.Buffers;
using System.Security.Cryptography;
using System.Threading.Channels;
using Coffer.Core.Chunking;
using Coffer.Core.Interop;
using Coffer.Core.Model;
using Coffer.Core.Packing;
using Coffer.Core.Primitives;
using Coffer.Core.Repository;

namespace Coffer.Core.Archiver;

/// <summary>
/// Reads files in parallel (<c>readConcurrency</c> readers), cuts them with the repository's chunker and
/// hashes every chunk; chunks the repository lacks are copied into rented buffers and handed to blob
/// workers (one per core) that compress, seal and pack them. Both queues are bounded, so memory stays
/// at a few chunks per worker. A file that cannot be read is reported and yields no node.
/// </summary>
internal sealed class FileSaver : IAsyncDisposable
{
    private sealed record Job(byte[] Path, string Display, Node Node, TaskCompletionSource<Node?> Done);

    private readonly record struct BlobJob(BlobId Id, NativeBuffer Buffer, int Length);

    private readonly UploadSession _upload;
    private readonly ChunkerTables _tables;
    private readonly IBackupProgress _progress;
    private readonly CancellationToken _cancellation;
    private readonly Channel<Job> _jobs;
    private readonly Channel<BlobJob> _blobs;
    private readonly Task[] _readers;
    private readonly Task[] _blobWorkers;

    public FileSaver(UploadSession upload, ChunkerTables tables, int readConcurrency, IBackupProgress progress, CancellationToken cancellationToken)
    {
        _upload = upload;
        _tables = tables;
        _progress = progress;
        _cancellation = cancellationToken;
        _jobs = Channel.CreateBounded<Job>(new BoundedChannelOptions(256));
        var cores = Math.Max(1, Environment.ProcessorCount);
        _blobs = Channel.CreateBounded<BlobJob>(new BoundedChannelOptions(cores));
        _readers = Enumerable.Range(0, Math.Max(1, readConcurrency)).Select(_ => Task.Run(ReadLoopAsync)).ToArray();
        _blobWorkers = Enumerable.Range(0, cores).Select(_ => Task.Run(BlobLoopAsync)).ToArray();
        Completion = CompleteAllAsync();
    }

    /// <summary>Completes when every queued file and blob is processed (after <see cref="Complete"/>).</summary>
    public Task Completion { get; }

    /// <summary>Queues a regular file; the returned task yields its node with content, or null when it could not be read.</summary>
    public async ValueTask<Task<Node?>> EnqueueAsync(byte[] path, string display, Node node, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource<Node?>(TaskCreationOptions.RunContinuationsAsynchronously);
        await _jobs.Writer.WriteAsync(new Job(path, display, node, done), cancellationToken).ConfigureAwait(false);
        return done.Task;
    }

    /// <summary>No more files will be queued.</summary>
    public void Complete() => _jobs.Writer.TryComplete();

    /// <summary>Backs up a stream (stdin) as one file node named <paramref name="name"/>.</summary>
    public async Task<Node> SaveStreamAsync(Stream stream, byte[] name, GoTime time, CancellationToken cancellationToken)
    {
        using var chunker = new Chunker(stream, _tables);
        var content = new List<BlobId>();
        long size = 0;
        while (await chunker.NextAsync(cancellationToken).ConfigureAwait(false) is { } chunk)
        {
            content.Add(await SaveChunkAsync(chunk, cancellationToken).ConfigureAwait(false));
            size += chunk.Length;
            _progress.BytesRead(chunk.Length);
        }
        return new Node
        {
            Name = name,
            Type = NodeType.File,
            Mode = 0x180, // 0600, as restic records stdin
            ModTime = time,
            AccessTime = time,
            ChangeTime = time,
            Uid = 0,
            Gid = 0,
            Size = (ulong)size,
            Content = content,
        };
    }

    private async ValueTask<BlobId> SaveChunkAsync(ReadOnlyMemory<byte> chunk, CancellationToken cancellationToken)
    {
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(chunk.Span, digest);
        var id = new BlobId(Id.FromBytes(digest));
        if (!_upload.Contains(new BlobHandle(id, BlobType.Data)))
        {
            var buffer = BlobBufferPool.Shared.Rent(chunk.Length);
            chunk.Span.CopyTo(buffer.GetSpan());
            await _blobs.Writer.WriteAsync(new BlobJob(id, buffer, chunk.Length), cancellationToken).ConfigureAwait(false);
        }
        return id;
    }

    private async Task ReadLoopAsync()
    {
        var buffer = GC.AllocateUninitializedArray<byte>(Chunker.MinBufferSize);
        try
        {
            await foreach (var job in _jobs.Reader.ReadAllAsync(_cancellation).ConfigureAwait(false))
            {
                try
                {
                    job.Done.TrySetResult(await SaveFileAsync(job, buffer).ConfigureAwait(false));
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    job.Done.TrySetException(e);
                    throw;
                }
                catch (OperationCanceledException)
                {
                    job.Done.TrySetCanceled(_cancellation);
                    throw;
                }
            }
        }
        catch (Exception e)
        {
            _jobs.Writer.TryComplete(e);
            throw;
        }
        finally
        {
            while (_jobs.Reader.TryRead(out var left))
            {
                left.Done.TrySetCanceled();
            }
        }
    }

    private async Task<Node?> SaveFileAsync(Job job, byte[] buffer)
    {
        _progress.FileStarted(job.Display);
        Microsoft.Win32.SafeHandles.SafeFileHandle handle;
        FileStatus before;
        try
        {
            handle = PosixFileSystem.OpenForBackup(job.Path, out before);
        }
        catch (IOException e)
        {
            _progress.Error(job.Display, e.Message);
            return null;
        }
        using (handle)
        {
            if ((before.Mode & 0xF000) != 0x8000)
            {
                _progress.Error(job.Display, $"{job.Display}: changed type while being backed up; skipped");
                return null;
            }
            var content = new List<BlobId>();
            long size = 0;
            using var stream = new FileHandleStream(handle);
            using var chunker = new Chunker(stream, _tables, buffer);
            try
            {
                while (chunker.TryNext(out var chunk))
                {
                    content.Add(await SaveChunkAsync(chunk, _cancellation).ConfigureAwait(false));
                    size += chunk.Length;
                    _progress.BytesRead(chunk.Length);
                }
                var after = PosixFileSystem.FStat(handle);
                if ((ulong)size != before.Size || after.Size != before.Size || !after.ModTime.SameInstant(before.ModTime))
                {
                    _progress.Error(job.Display, $"{job.Display}: file changed while being read; saved the {size} bytes read");
                }
            }
            catch (IOException e)
            {
                _progress.Error(job.Display, $"read {job.Display}: {e.Message}");
                return null;
            }
            var node = job.Node;
            node.Content = content;
            node.Size = (ulong)size;
            return node;
        }
    }

    private async Task BlobLoopAsync()
    {
        try
        {
            await foreach (var blob in _blobs.Reader.ReadAllAsync(_cancellation).ConfigureAwait(false))
            {
                try
                {
                    await _upload.SaveAsync(BlobType.Data, blob.Id, blob.Buffer.Memory[..blob.Length], _cancellation).ConfigureAwait(false);
                }
                finally
                {
                    BlobBufferPool.Shared.Return(blob.Buffer);
                }
            }
        }
        catch (Exception e)
        {
            // Readers waiting to hand over chunks must not wait forever.
            _blobs.Writer.TryComplete(e);
            throw;
        }
    }

    private async Task CompleteAllAsync()
    {
        try
        {
            await Task.WhenAll(_readers).ConfigureAwait(false);
        }
        finally
        {
            _blobs.Writer.TryComplete();
        }
        await Task.WhenAll(_blobWorkers).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        _jobs.Writer.TryComplete();
        try
        {
            await Completion.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // the archiver observes failures through Completion before disposing
        }
        while (_blobs.Reader.TryRead(out var blob))
        {
            BlobBufferPool.Shared.Return(blob.Buffer);
        }
    }
}
