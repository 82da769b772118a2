namespace Coffer.Core.Restorer;

/// <summary>
/// A write-only pass-through that counts the bytes written and, when asked, their CRC-32, so that a zip
/// entry can be streamed to an output that cannot seek. Does not own <c>inner</c>. Not thread-safe.
/// </summary>
internal sealed class ZipCountingStream(Stream inner, bool computeCrc) : Stream
{
    /// <summary>Bytes written so far.</summary>
    public long Count { get; private set; }

    /// <summary>CRC-32 of the bytes written (0 unless computed).</summary>
    public uint Crc { get; private set; }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Account(buffer);
        inner.Write(buffer);
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Account(buffer.Span);
        await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private void Account(ReadOnlySpan<byte> data)
    {
        Count += data.Length;
        if (computeCrc)
        {
            Crc = ZipCrc32.Update(Crc, data);
        }
    }
}
