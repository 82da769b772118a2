using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Coffer.Core.Model;
using Coffer.Core.Primitives;

namespace Coffer.Core.Restorer;

/// <summary>
/// Writes a zip archive to a stream that need not seek. Regular files are deflated and followed by a data
/// descriptor (their CRC is known only afterwards); directories, symlinks (the target as content) and other
/// nodes are stored. Every entry carries its Unix mode ("made by" Unix), its mtime as DOS time in the node's
/// own offset plus an extended-timestamp field (UTC), and Zip64 fields where a size, an offset or the entry
/// count needs them. Hard links become independent files (zip has no links). The central directory is kept
/// in memory (a few dozen bytes per entry) and written by <see cref="FinishAsync"/>. Not thread-safe.
/// </summary>
internal sealed class ZipArchiveWriter : IDumpArchiveWriter
{
    private readonly Stream _output;
    private readonly List<CentralRecord> _central = [];
    private long _position;

    public ZipArchiveWriter(Stream output) => _output = output;

    private sealed record CentralRecord(byte[] Name, ushort Flags, ushort Method, uint DosDateTime, int? UnixTime,
        uint Crc, long Compressed, long Uncompressed, long Offset, uint ExternalAttributes);

    public async Task AddAsync(DumpArchiveEntry entry, Func<Stream, CancellationToken, Task<long>>? content, CancellationToken cancellationToken)
    {
        var node = entry.Node;
        var name = entry.Name;
        var flags = !Ascii.IsValid(name) && System.Text.Unicode.Utf8.IsValid(name) ? ZipLayout.FlagUtf8 : (ushort)0;
        var mode = GoFileMode.ToPosix(GoFileMode.TypeBits(node.Type) | node.Mode);
        var external = (mode << 16) | (node.Type == NodeType.Dir ? ZipLayout.DosDirectory : 0);
        var dos = DosDateTime(node.ModTime);
        var unix = node.ModTime.UnixSeconds is >= int.MinValue and <= int.MaxValue ? (int?)node.ModTime.UnixSeconds : null;
        var offset = _position;

        if (node.Type == NodeType.File && node.Size > 0)
        {
            if (content is null)
            {
                throw new ArgumentException("a regular file needs its content", nameof(content));
            }
            flags |= ZipLayout.FlagDataDescriptor;
            var zip64 = node.Size > ZipLayout.Zip64LocalThreshold;
            await WriteLocalHeaderAsync(name, flags, ZipLayout.MethodDeflate, dos, unix, 0, zip64 ? -1 : 0, zip64 ? -1 : 0, zip64, cancellationToken).ConfigureAwait(false);
            ZipCountingStream plain;
            long compressed;
            await using (var counter = new ZipCountingStream(_output, computeCrc: false))
            {
                await using (var deflate = new DeflateStream(counter, CompressionLevel.Fastest, leaveOpen: true))
                {
                    plain = new ZipCountingStream(deflate, computeCrc: true);
                    await content(plain, cancellationToken).ConfigureAwait(false);
                }
                compressed = counter.Count;
            }
            _position += compressed;
            if ((ulong)plain.Count != node.Size)
            {
                throw new CofferException($"{Encoding.UTF8.GetString(name)}: the file's content has {plain.Count} bytes but its node says {node.Size}; the archive would be wrong");
            }
            if (!zip64 && compressed >= ZipLayout.Saturated32)
            {
                throw new CofferException($"{Encoding.UTF8.GetString(name)}: compressed to more than 4 GiB without a Zip64 header");
            }
            await WriteDataDescriptorAsync(plain.Crc, compressed, plain.Count, zip64, cancellationToken).ConfigureAwait(false);
            _central.Add(new CentralRecord(name, flags, ZipLayout.MethodDeflate, dos, unix, plain.Crc, compressed, plain.Count, offset, external));
            return;
        }

        var data = node.Type == NodeType.Symlink ? node.LinkTarget : [];
        var crc = ZipCrc32.Update(0, data);
        await WriteLocalHeaderAsync(name, flags, ZipLayout.MethodStored, dos, unix, crc, data.Length, data.Length, zip64: false, cancellationToken).ConfigureAwait(false);
        await WriteRawAsync(data, cancellationToken).ConfigureAwait(false);
        _central.Add(new CentralRecord(name, flags, ZipLayout.MethodStored, dos, unix, crc, data.Length, data.Length, offset, external));
    }

    public async Task FinishAsync(CancellationToken cancellationToken)
    {
        var start = _position;
        foreach (var record in _central)
        {
            await WriteCentralHeaderAsync(record, cancellationToken).ConfigureAwait(false);
        }
        var size = _position - start;
        var count = _central.Count;
        var needs64 = count >= ZipLayout.Saturated16 || size >= ZipLayout.Saturated32 || start >= ZipLayout.Saturated32;
        if (needs64)
        {
            var zip64End = _position;
            var record = new byte[ZipLayout.Zip64EndOfCentralSize + ZipLayout.Zip64LocatorSize];
            var s = record.AsSpan();
            BinaryPrimitives.WriteUInt32LittleEndian(s, ZipLayout.Zip64EndOfCentralSignature);
            BinaryPrimitives.WriteUInt64LittleEndian(s[4..], ZipLayout.Zip64EndOfCentralSize - 12);
            BinaryPrimitives.WriteUInt16LittleEndian(s[12..], ZipLayout.HostUnix | ZipLayout.VersionZip64);
            BinaryPrimitives.WriteUInt16LittleEndian(s[14..], ZipLayout.VersionZip64);
            // disk numbers (16..23) stay 0
            BinaryPrimitives.WriteUInt64LittleEndian(s[24..], (ulong)count);
            BinaryPrimitives.WriteUInt64LittleEndian(s[32..], (ulong)count);
            BinaryPrimitives.WriteUInt64LittleEndian(s[40..], (ulong)size);
            BinaryPrimitives.WriteUInt64LittleEndian(s[48..], (ulong)start);
            var locator = s[ZipLayout.Zip64EndOfCentralSize..];
            BinaryPrimitives.WriteUInt32LittleEndian(locator, ZipLayout.Zip64LocatorSignature);
            BinaryPrimitives.WriteUInt64LittleEndian(locator[8..], (ulong)zip64End);
            BinaryPrimitives.WriteUInt32LittleEndian(locator[16..], 1);
            await WriteRawAsync(record, cancellationToken).ConfigureAwait(false);
        }
        var end = new byte[ZipLayout.EndOfCentralSize];
        var e = end.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(e, ZipLayout.EndOfCentralSignature);
        BinaryPrimitives.WriteUInt16LittleEndian(e[8..], (ushort)Math.Min(count, ZipLayout.Saturated16));
        BinaryPrimitives.WriteUInt16LittleEndian(e[10..], (ushort)Math.Min(count, ZipLayout.Saturated16));
        BinaryPrimitives.WriteUInt32LittleEndian(e[12..], (uint)Math.Min(size, ZipLayout.Saturated32));
        BinaryPrimitives.WriteUInt32LittleEndian(e[16..], (uint)Math.Min(start, ZipLayout.Saturated32));
        await WriteRawAsync(end, cancellationToken).ConfigureAwait(false);
        await _output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task WriteRawAsync(byte[] bytes, CancellationToken cancellationToken)
    {
        await _output.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        _position += bytes.Length;
    }

    /// <summary>Sizes of -1 write the Zip64 marker (all ones) and a Zip64 extra field with zero sizes.</summary>
    private async Task WriteLocalHeaderAsync(byte[] name, ushort flags, ushort method, uint dos, int? unix, uint crc, long compressed, long uncompressed, bool zip64, CancellationToken cancellationToken)
    {
        var extraLength = (unix is null ? 0 : 9) + (zip64 ? 20 : 0);
        var header = new byte[ZipLayout.LocalHeaderSize + name.Length + extraLength];
        var h = header.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(h, ZipLayout.LocalHeaderSignature);
        BinaryPrimitives.WriteUInt16LittleEndian(h[4..], zip64 ? ZipLayout.VersionZip64 : ZipLayout.VersionDeflate);
        BinaryPrimitives.WriteUInt16LittleEndian(h[6..], flags);
        BinaryPrimitives.WriteUInt16LittleEndian(h[8..], method);
        BinaryPrimitives.WriteUInt32LittleEndian(h[10..], dos);
        BinaryPrimitives.WriteUInt32LittleEndian(h[14..], crc);
        BinaryPrimitives.WriteUInt32LittleEndian(h[18..], compressed < 0 ? ZipLayout.Saturated32 : (uint)compressed);
        BinaryPrimitives.WriteUInt32LittleEndian(h[22..], uncompressed < 0 ? ZipLayout.Saturated32 : (uint)uncompressed);
        BinaryPrimitives.WriteUInt16LittleEndian(h[26..], (ushort)name.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(h[28..], (ushort)extraLength);
        name.CopyTo(h[ZipLayout.LocalHeaderSize..]);
        var x = h[(ZipLayout.LocalHeaderSize + name.Length)..];
        if (zip64)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(x, ZipLayout.Zip64ExtraTag);
            BinaryPrimitives.WriteUInt16LittleEndian(x[2..], 16);
            x = x[20..];
        }
        if (unix is { } t)
        {
            WriteTimestampExtra(x, t);
        }
        await WriteRawAsync(header, cancellationToken).ConfigureAwait(false);
    }

    private async Task WriteDataDescriptorAsync(uint crc, long compressed, long uncompressed, bool zip64, CancellationToken cancellationToken)
    {
        var d = new byte[zip64 ? 24 : 16];
        BinaryPrimitives.WriteUInt32LittleEndian(d, ZipLayout.DataDescriptorSignature);
        BinaryPrimitives.WriteUInt32LittleEndian(d.AsSpan(4), crc);
        if (zip64)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(d.AsSpan(8), (ulong)compressed);
            BinaryPrimitives.WriteUInt64LittleEndian(d.AsSpan(16), (ulong)uncompressed);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(d.AsSpan(8), (uint)compressed);
            BinaryPrimitives.WriteUInt32LittleEndian(d.AsSpan(12), (uint)uncompressed);
        }
        await WriteRawAsync(d, cancellationToken).ConfigureAwait(false);
    }

    private async Task WriteCentralHeaderAsync(CentralRecord r, CancellationToken cancellationToken)
    {
        var bigUncompressed = r.Uncompressed >= ZipLayout.Saturated32;
        var bigCompressed = r.Compressed >= ZipLayout.Saturated32;
        var bigOffset = r.Offset >= ZipLayout.Saturated32;
        var zip64Length = (bigUncompressed ? 8 : 0) + (bigCompressed ? 8 : 0) + (bigOffset ? 8 : 0);
        var zip64 = zip64Length > 0;
        var extraLength = (zip64 ? 4 + zip64Length : 0) + (r.UnixTime is null ? 0 : 9);
        var header = new byte[ZipLayout.CentralHeaderSize + r.Name.Length + extraLength];
        var h = header.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(h, ZipLayout.CentralHeaderSignature);
        BinaryPrimitives.WriteUInt16LittleEndian(h[4..], ZipLayout.HostUnix | ZipLayout.VersionZip64);
        BinaryPrimitives.WriteUInt16LittleEndian(h[6..], zip64 ? ZipLayout.VersionZip64 : ZipLayout.VersionDeflate);
        BinaryPrimitives.WriteUInt16LittleEndian(h[8..], r.Flags);
        BinaryPrimitives.WriteUInt16LittleEndian(h[10..], r.Method);
        BinaryPrimitives.WriteUInt32LittleEndian(h[12..], r.DosDateTime);
        BinaryPrimitives.WriteUInt32LittleEndian(h[16..], r.Crc);
        BinaryPrimitives.WriteUInt32LittleEndian(h[20..], bigCompressed ? ZipLayout.Saturated32 : (uint)r.Compressed);
        BinaryPrimitives.WriteUInt32LittleEndian(h[24..], bigUncompressed ? ZipLayout.Saturated32 : (uint)r.Uncompressed);
        BinaryPrimitives.WriteUInt16LittleEndian(h[28..], (ushort)r.Name.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(h[30..], (ushort)extraLength);
        // comment length, disk number, internal attributes (32..37) stay 0
        BinaryPrimitives.WriteUInt32LittleEndian(h[38..], r.ExternalAttributes);
        BinaryPrimitives.WriteUInt32LittleEndian(h[42..], bigOffset ? ZipLayout.Saturated32 : (uint)r.Offset);
        r.Name.CopyTo(h[ZipLayout.CentralHeaderSize..]);
        var x = h[(ZipLayout.CentralHeaderSize + r.Name.Length)..];
        if (zip64)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(x, ZipLayout.Zip64ExtraTag);
            BinaryPrimitives.WriteUInt16LittleEndian(x[2..], (ushort)zip64Length);
            var p = 4;
            if (bigUncompressed)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(x[p..], (ulong)r.Uncompressed);
                p += 8;
            }
            if (bigCompressed)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(x[p..], (ulong)r.Compressed);
                p += 8;
            }
            if (bigOffset)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(x[p..], (ulong)r.Offset);
                p += 8;
            }
            x = x[p..];
        }
        if (r.UnixTime is { } t)
        {
            WriteTimestampExtra(x, t);
        }
        await WriteRawAsync(header, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Extended timestamp (0x5455): flags = mtime present, then the mtime in Unix seconds.</summary>
    private static void WriteTimestampExtra(Span<byte> x, int unixTime)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(x, ZipLayout.ExtendedTimestampTag);
        BinaryPrimitives.WriteUInt16LittleEndian(x[2..], 5);
        x[4] = 1;
        BinaryPrimitives.WriteInt32LittleEndian(x[5..], unixTime);
    }

    /// <summary>MS-DOS date (high 16 bits) and time (low 16 bits) of the wall clock in the time's own offset, clamped to 1980–2107.</summary>
    private static uint DosDateTime(GoTime time)
    {
        var local = DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(time.UnixSeconds + time.OffsetSeconds, 315532800, 4354819198)).DateTime;
        var date = ((local.Year - 1980) << 9) | (local.Month << 5) | local.Day;
        var clock = (local.Hour << 11) | (local.Minute << 5) | (local.Second / 2);
        return ((uint)date << 16) | (uint)clock;
    }
}
