using System.Buffers;

namespace Coffer.Core.Chunking;

/// <summary>
/// Cuts one file's bytes into content-defined chunks exactly where restic cuts them: no chunk
/// shorter than <see cref="MinSize"/> except the last, none longer than <see cref="MaxSize"/>,
/// and otherwise a cut after the first byte whose 64-byte window fingerprint (mod the
/// repository's polynomial) has its low 20 bits clear.
/// </summary>
/// <remarks>
/// <para>
/// Source: a readable <see cref="Stream"/>, read from its current position to its end. The
/// chunker reads in large blocks straight into its own buffer, so open files unbuffered
/// (<c>new FileStream(handle, FileAccess.Read, bufferSize: 0)</c> or
/// <c>FileOptions.SequentialScan</c> with <c>bufferSize: 0</c>). Short reads of any size are fine.
/// The chunker never disposes or seeks the stream.
/// </para>
/// <para>
/// Buffer: one array of at least <see cref="MinBufferSize"/> bytes, either passed in (the caller
/// keeps ownership and must not touch it while the chunker is in use) or rented from
/// <see cref="ArrayPool{T}.Shared"/> and returned by <see cref="Dispose"/>. Chunks are slices of
/// that buffer: a returned chunk stays valid only until the next call to <see cref="TryNext"/>,
/// <see cref="NextAsync"/>, <see cref="Reset"/> or <see cref="Dispose"/>; copy it (or finish
/// hashing/compressing it) before asking for the next one. Nothing is allocated per chunk.
/// </para>
/// <para>
/// One instance serves one stream at a time and is not thread-safe. <see cref="Reset"/> reuses
/// the instance and its buffer for the next file.
/// </para>
/// </remarks>
public sealed class Chunker : IDisposable
{
    /// <summary>Smallest chunk (except a file's last): 512 KiB.</summary>
    public const int MinSize = 512 * 1024;

    /// <summary>Largest chunk: 8 MiB.</summary>
    public const int MaxSize = 8 * 1024 * 1024;

    /// <summary>Bytes in the rolling fingerprint's window.</summary>
    public const int WindowSize = 64;

    /// <summary>A cut is allowed where the fingerprint has these bits clear.</summary>
    public const ulong SplitMask = 0xFFFFF;

    /// <summary>Smallest buffer the chunker accepts: one maximum-size chunk.</summary>
    public const int MinBufferSize = MaxSize;

    /// <summary>First chunk-relative end position a fingerprint is tested at (cut length = MinSize).</summary>
    private const int FirstCandidate = MinSize - 1;

    private readonly byte[] _buffer;
    private readonly bool _rented;
    private Stream _source;
    private int _start;
    private int _end;
    private int _scanned = FirstCandidate;
    private bool _endOfStream;
    private long _position;
    private bool _disposed;

    /// <summary>Creates a chunker over <paramref name="source"/> with the tables of the repository's polynomial.</summary>
    /// <param name="source">Read from its current position; not owned.</param>
    /// <param name="tables">From <see cref="ChunkerTables.For"/> with the repository config's polynomial.</param>
    /// <param name="buffer">
    /// At least <see cref="MinBufferSize"/> bytes, owned by the caller; null to rent one from the shared pool.
    /// </param>
    public Chunker(Stream source, ChunkerTables tables, byte[]? buffer = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(tables);
        if (buffer is null)
        {
            _buffer = ArrayPool<byte>.Shared.Rent(MinBufferSize);
            _rented = true;
        }
        else
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(buffer.Length, MinBufferSize, nameof(buffer));
            _buffer = buffer;
        }
        _source = source;
        Tables = tables;
    }

    /// <summary>Creates a chunker for <paramref name="polynomial"/>; see <see cref="Chunker(Stream, ChunkerTables, byte[])"/>.</summary>
    public Chunker(Stream source, Polynomial polynomial, byte[]? buffer = null)
        : this(source, ChunkerTables.For(polynomial), buffer)
    {
    }

    private enum Step
    {
        Chunk,
        End,
        NeedData,
    }

    /// <summary>The tables (and so the polynomial) this chunker cuts with.</summary>
    public ChunkerTables Tables { get; }

    /// <summary>Offset in the stream (counted from where chunking began) of the chunk most recently returned.</summary>
    public long ChunkOffset { get; private set; }

    /// <summary>
    /// Starts over on another stream, keeping the buffer. Any chunk returned earlier becomes invalid.
    /// </summary>
    public void Reset(Stream source)
    {
        ArgumentNullException.ThrowIfNull(source);
        ObjectDisposedException.ThrowIf(_disposed, this);
        _source = source;
        _start = 0;
        _end = 0;
        _scanned = FirstCandidate;
        _endOfStream = false;
        _position = 0;
        ChunkOffset = 0;
    }

    /// <summary>
    /// Reads until the next chunk is decided. Returns false, with an empty chunk, at the end of the
    /// stream (an empty stream has no chunks). The chunk is valid until the next call on this
    /// instance. Blocks on the stream's synchronous <see cref="Stream.Read(byte[], int, int)"/>.
    /// </summary>
    public bool TryNext(out ReadOnlyMemory<byte> chunk)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        while (true)
        {
            switch (Decide(out chunk))
            {
                case Step.Chunk:
                    return true;
                case Step.End:
                    return false;
                default:
                    var free = MakeRoom();
                    Consume(_source.Read(_buffer, _end, free));
                    break;
            }
        }
    }

    /// <summary>
    /// Asynchronous <see cref="TryNext"/>: the next chunk, or null at the end of the stream. The
    /// chunk is valid until the next call on this instance; do not start another call before the
    /// returned task completes.
    /// </summary>
    public async ValueTask<ReadOnlyMemory<byte>?> NextAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        while (true)
        {
            switch (Decide(out var chunk))
            {
                case Step.Chunk:
                    return chunk;
                case Step.End:
                    return null;
                default:
                    var free = MakeRoom();
                    Consume(await _source.ReadAsync(_buffer.AsMemory(_end, free), cancellationToken).ConfigureAwait(false));
                    break;
            }
        }
    }

    /// <summary>
    /// Stateless form of the split rule, for data already in memory. <paramref name="data"/>
    /// starts at a chunk boundary (the file's start or a previous cut). Returns the length of the
    /// chunk that starts there, 0 when <paramref name="data"/> is empty and final, or −1 when
    /// <paramref name="isFinal"/> is false and the cut depends on bytes not yet given (pass at
    /// least <see cref="MaxSize"/> bytes, or the rest of the file, to always get an answer).
    /// Pure and thread-safe.
    /// </summary>
    /// <param name="data">Bytes from the chunk's start; only the first <see cref="MaxSize"/> are looked at.</param>
    /// <param name="tables">The repository polynomial's tables.</param>
    /// <param name="isFinal">True when <paramref name="data"/> runs to the end of the file.</param>
    public static int FindCut(ReadOnlySpan<byte> data, ChunkerTables tables, bool isFinal)
    {
        ArgumentNullException.ThrowIfNull(tables);
        var scanned = FirstCandidate;
        return FindCut(data, tables, isFinal, ref scanned);
    }

    /// <summary>Returns a rented buffer to the pool. Does not dispose the stream. Idempotent.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        if (_rented)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }
    }

    /// <summary>
    /// <see cref="FindCut(ReadOnlySpan{byte}, ChunkerTables, bool)"/> that resumes: end positions
    /// below <paramref name="scanned"/> were already tested on an earlier, shorter view of the same
    /// chunk; on −1 it is advanced past everything tested now.
    /// </summary>
    private static int FindCut(ReadOnlySpan<byte> data, ChunkerTables tables, bool isFinal, ref int scanned)
    {
        if (data.Length <= MinSize)
        {
            return isFinal ? data.Length : -1;
        }
        var limit = Math.Min(data.Length, MaxSize);
        var end = FingerprintScanner.FindFirstSplit(data, scanned, limit, tables);
        if (end >= 0)
        {
            return end + 1;
        }
        if (limit == MaxSize)
        {
            return MaxSize;
        }
        if (isFinal)
        {
            return data.Length;
        }
        scanned = limit;
        return -1;
    }

    private Step Decide(out ReadOnlyMemory<byte> chunk)
    {
        var length = FindCut(_buffer.AsSpan(_start, _end - _start), Tables, _endOfStream, ref _scanned);
        if (length <= 0)
        {
            chunk = ReadOnlyMemory<byte>.Empty;
            return length == 0 ? Step.End : Step.NeedData;
        }
        chunk = new ReadOnlyMemory<byte>(_buffer, _start, length);
        ChunkOffset = _position;
        _position += length;
        _start += length;
        _scanned = FirstCandidate;
        return Step.Chunk;
    }

    /// <summary>
    /// Makes free space after the buffered bytes, moving the undecided chunk (always shorter than
    /// <see cref="MaxSize"/>, so it fits) to the front when the end is reached; returns the free length.
    /// </summary>
    private int MakeRoom()
    {
        if (_start == _end)
        {
            _start = _end = 0;
        }
        else if (_end == _buffer.Length)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }
        return _buffer.Length - _end;
    }

    private void Consume(int read)
    {
        if (read == 0)
        {
            _endOfStream = true;
        }
        else
        {
            _end += read;
        }
    }
}
