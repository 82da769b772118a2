using System.Globalization;
using System.Text;
using Coffer.Core.Interop;
using Coffer.Core.Model;
using Coffer.Core.Primitives;

namespace Coffer.Core.Restorer;

/// <summary>
/// Writes a POSIX tar stream: a ustar header per entry, preceded by a PAX extended header when ustar cannot
/// hold a value exactly (names and link targets longer than its fields, sub-second or negative mtimes, large
/// sizes or ids, long owner names, extended attributes as <c>SCHILY.xattr.*</c>). GNU tar, bsdtar and Python's
/// tarfile read it. Names are raw bytes. Hard links are type-1 entries naming the first path. Not thread-safe.
/// </summary>
internal sealed class TarArchiveWriter(Stream output) : IDumpArchiveWriter
{
    private readonly byte[] _header = new byte[TarLayout.BlockSize];
    private static readonly byte[] Zeros = new byte[TarLayout.BlockSize * 2];

    public async Task AddAsync(DumpArchiveEntry entry, Func<Stream, CancellationToken, Task<long>>? content, CancellationToken cancellationToken)
    {
        var node = entry.Node;
        byte type;
        long size = 0;
        var link = Array.Empty<byte>();
        switch (node.Type)
        {
            case NodeType.File when entry.HardLinkTarget is not null:
                type = TarLayout.TypeHardLink;
                link = entry.HardLinkTarget;
                break;
            case NodeType.File:
                type = TarLayout.TypeRegular;
                size = node.Size <= long.MaxValue ? (long)node.Size : throw new CofferException($"{Encoding.UTF8.GetString(entry.Name)}: size {node.Size} is not possible");
                break;
            case NodeType.Dir:
                type = TarLayout.TypeDirectory;
                break;
            case NodeType.Symlink:
                type = TarLayout.TypeSymlink;
                link = node.LinkTarget;
                break;
            case NodeType.CharDev:
                type = TarLayout.TypeCharDevice;
                break;
            case NodeType.Dev:
                type = TarLayout.TypeBlockDevice;
                break;
            case NodeType.Fifo:
                type = TarLayout.TypeFifo;
                break;
            default:
                throw new ArgumentException($"node type {node.Type} has no tar form", nameof(entry));
        }

        var pax = new TarPaxRecords();
        Array.Clear(_header);
        WriteName(entry.Name, pax);
        if (link.Length > TarLayout.LinkNameLength)
        {
            pax.Add("linkpath", link);
        }
        else
        {
            link.CopyTo(_header.AsSpan(TarLayout.LinkNameOffset));
        }
        WriteOctal(TarLayout.ModeOffset, TarLayout.IdLength, GoFileMode.ToPosix(node.Mode) & 0xFFF);
        WriteNumber(TarLayout.UidOffset, TarLayout.IdLength, node.Uid, TarLayout.MaxOctal8, "uid", pax);
        WriteNumber(TarLayout.GidOffset, TarLayout.IdLength, node.Gid, TarLayout.MaxOctal8, "gid", pax);
        WriteNumber(TarLayout.SizeOffset, TarLayout.SizeLength, size, TarLayout.MaxOctal12, "size", pax);
        var mtime = node.ModTime;
        if (mtime.Nanoseconds != 0 || mtime.UnixSeconds < 0 || mtime.UnixSeconds > TarLayout.MaxOctal12)
        {
            pax.Add("mtime", FormatTime(mtime));
        }
        WriteOctal(TarLayout.MtimeOffset, TarLayout.MtimeLength, Math.Clamp(mtime.UnixSeconds, 0, TarLayout.MaxOctal12));
        _header[TarLayout.TypeOffset] = type;
        TarLayout.Magic.CopyTo(_header.AsSpan(TarLayout.MagicOffset));
        WriteOwner(TarLayout.UnameOffset, node.User, "uname", pax);
        WriteOwner(TarLayout.GnameOffset, node.Group, "gname", pax);
        if (node.Type is NodeType.CharDev or NodeType.Dev)
        {
            WriteBase256OrOctal(TarLayout.DevMajorOffset, DeviceNumber.Major(node.Device));
            WriteBase256OrOctal(TarLayout.DevMinorOffset, DeviceNumber.Minor(node.Device));
        }
        foreach (var attribute in node.ExtendedAttributes)
        {
            if (attribute.Value is not null)
            {
                pax.Add("SCHILY.xattr." + attribute.Name, attribute.Value);
            }
        }

        if (!pax.IsEmpty)
        {
            await WritePaxHeaderAsync(pax.Encode(), cancellationToken).ConfigureAwait(false);
        }
        SealChecksum(_header);
        await output.WriteAsync(_header, cancellationToken).ConfigureAwait(false);
        if (type != TarLayout.TypeRegular || size == 0)
        {
            return;
        }
        if (content is null)
        {
            throw new ArgumentException("a regular file needs its content", nameof(content));
        }
        var written = await content(output, cancellationToken).ConfigureAwait(false);
        if (written != size)
        {
            throw new CofferException($"{Encoding.UTF8.GetString(entry.Name)}: the file's content has {written} bytes but its node says {size}; the archive would be corrupt");
        }
        await PadAsync(size, cancellationToken).ConfigureAwait(false);
    }

    public async Task FinishAsync(CancellationToken cancellationToken)
    {
        await output.WriteAsync(Zeros, cancellationToken).ConfigureAwait(false);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private void WriteName(byte[] name, TarPaxRecords pax)
    {
        if (name.Length <= TarLayout.NameLength)
        {
            name.CopyTo(_header.AsSpan(TarLayout.NameOffset));
            return;
        }
        // ustar splits a long name at a slash: up to 155 bytes of prefix, up to 100 of name.
        for (var i = Math.Min(name.Length - 2, TarLayout.PrefixLength); i > 0; i--)
        {
            if (name[i] == (byte)'/' && name.Length - i - 1 <= TarLayout.NameLength)
            {
                name.AsSpan(0, i).CopyTo(_header.AsSpan(TarLayout.PrefixOffset));
                name.AsSpan(i + 1).CopyTo(_header.AsSpan(TarLayout.NameOffset));
                return;
            }
        }
        pax.Add("path", name);
        name.AsSpan(0, TarLayout.NameLength).CopyTo(_header.AsSpan(TarLayout.NameOffset));
    }

    private void WriteOwner(int offset, string owner, string key, TarPaxRecords pax)
    {
        var bytes = Encoding.UTF8.GetBytes(owner);
        if (bytes.Length > TarLayout.OwnerNameLength)
        {
            pax.Add(key, bytes);
            return;
        }
        bytes.CopyTo(_header.AsSpan(offset));
    }

    private void WriteNumber(int offset, int length, long value, long max, string key, TarPaxRecords pax)
    {
        if (value > max)
        {
            pax.Add(key, value.ToString(CultureInfo.InvariantCulture));
            value = 0;
        }
        WriteOctal(offset, length, value);
    }

    private void WriteOctal(int offset, int length, long value) => WriteOctalInto(_header, offset, length, value);

    private void WriteBase256OrOctal(int offset, uint value)
    {
        if (value <= TarLayout.MaxOctal8)
        {
            WriteOctal(offset, TarLayout.IdLength, value);
            return;
        }
        // GNU base-256: high bit of the first byte set, value big-endian in the rest.
        _header.AsSpan(offset, TarLayout.IdLength).Clear();
        _header[offset] = 0x80;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(_header.AsSpan(offset + 4), value);
    }

    private static string FormatTime(GoTime time)
    {
        var text = time.UnixSeconds.ToString(CultureInfo.InvariantCulture);
        if (time.Nanoseconds != 0)
        {
            text += "." + time.Nanoseconds.ToString("D9", CultureInfo.InvariantCulture).TrimEnd('0');
        }
        return text;
    }

    private async Task WritePaxHeaderAsync(byte[] records, CancellationToken cancellationToken)
    {
        var header = new byte[TarLayout.BlockSize];
        TarLayout.PaxHeaderName.CopyTo(header);
        WriteOctalInto(header, TarLayout.ModeOffset, TarLayout.IdLength, 0x1A4);
        WriteOctalInto(header, TarLayout.UidOffset, TarLayout.IdLength, 0);
        WriteOctalInto(header, TarLayout.GidOffset, TarLayout.IdLength, 0);
        WriteOctalInto(header, TarLayout.SizeOffset, TarLayout.SizeLength, records.Length);
        WriteOctalInto(header, TarLayout.MtimeOffset, TarLayout.MtimeLength, 0);
        header[TarLayout.TypeOffset] = TarLayout.TypePaxHeader;
        TarLayout.Magic.CopyTo(header.AsSpan(TarLayout.MagicOffset));
        SealChecksum(header);
        await output.WriteAsync(header, cancellationToken).ConfigureAwait(false);
        await output.WriteAsync(records, cancellationToken).ConfigureAwait(false);
        await PadAsync(records.Length, cancellationToken).ConfigureAwait(false);
    }

    private static void WriteOctalInto(byte[] header, int offset, int length, long value)
    {
        // length - 1 zero-padded octal digits, then NUL.
        var digits = length - 1;
        for (var i = digits - 1; i >= 0; i--)
        {
            header[offset + i] = (byte)('0' + (value & 7));
            value >>= 3;
        }
        header[offset + digits] = 0;
    }

    private static void SealChecksum(byte[] header)
    {
        header.AsSpan(TarLayout.ChecksumOffset, TarLayout.ChecksumLength).Fill((byte)' ');
        var sum = 0;
        foreach (var b in header)
        {
            sum += b;
        }
        WriteOctalInto(header, TarLayout.ChecksumOffset, 7, sum);
        header[TarLayout.ChecksumOffset + 7] = (byte)' ';
    }

    private async Task PadAsync(long size, CancellationToken cancellationToken)
    {
        var rest = (int)(size % TarLayout.BlockSize);
        if (rest != 0)
        {
            await output.WriteAsync(Zeros.AsMemory(0, TarLayout.BlockSize - rest), cancellationToken).ConfigureAwait(false);
        }
    }
}
