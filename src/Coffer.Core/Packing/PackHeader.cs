using System.Buffers.Binary;
using Coffer.Core.Primitives;

namespace Coffer.Core.Packing;

/// <summary>Encodes and parses the plaintext of a pack header (a run of entries, no count).</summary>
public static class PackHeader
{
    /// <summary>The plaintext header for blobs in pack order.</summary>
    public static byte[] Encode(IReadOnlyList<PackedBlob> blobs)
    {
        var header = new byte[EncodedSize(blobs)];
        Encode(blobs, header);
        return header;
    }

    /// <summary>Size of the plaintext header for <paramref name="blobs"/>.</summary>
    public static int EncodedSize(IReadOnlyList<PackedBlob> blobs)
    {
        var size = 0;
        foreach (var b in blobs)
        {
            size += PackLayout.EntrySize(b.IsCompressed);
        }
        return size;
    }

    /// <summary>Writes the plaintext header into <paramref name="destination"/>; returns its length.</summary>
    public static int Encode(IReadOnlyList<PackedBlob> blobs, Span<byte> destination)
    {
        var span = destination;
        foreach (var b in blobs)
        {
            var type = b.Handle.Type == BlobType.Tree ? PackLayout.TypeTree : PackLayout.TypeData;
            if (b.IsCompressed)
            {
                span[0] = (byte)(type + 2);
                BinaryPrimitives.WriteUInt32LittleEndian(span[1..], b.Length);
                BinaryPrimitives.WriteUInt32LittleEndian(span[5..], b.UncompressedLength);
                b.Handle.Id.Value.CopyTo(span[9..]);
                span = span[PackLayout.CompressedEntrySize..];
            }
            else
            {
                span[0] = type;
                BinaryPrimitives.WriteUInt32LittleEndian(span[1..], b.Length);
                b.Handle.Id.Value.CopyTo(span[5..]);
                span = span[PackLayout.PlainEntrySize..];
            }
        }
        return destination.Length - span.Length;
    }

    /// <summary>
    /// Parses a plaintext header; offsets are implied by the order. Throws
    /// <see cref="RepositoryCorruptException"/> naming <paramref name="file"/> on any malformed entry,
    /// or when <paramref name="blobRegionSize"/> (pack size minus header and trailer) disagrees.
    /// </summary>
    public static List<PackedBlob> Parse(ReadOnlySpan<byte> header, bool allowCompressed, string file, long? blobRegionSize = null)
    {
        var blobs = new List<PackedBlob>(header.Length / PackLayout.CompressedEntrySize + 1);
        long offset = 0;
        while (!header.IsEmpty)
        {
            var type = header[0];
            var compressed = type is PackLayout.TypeDataCompressed or PackLayout.TypeTreeCompressed;
            if (type > PackLayout.TypeTreeCompressed || (compressed && !allowCompressed))
            {
                throw new RepositoryCorruptException(file, $"invalid pack header entry type {type}");
            }
            var entrySize = PackLayout.EntrySize(compressed);
            if (header.Length < entrySize)
            {
                throw new RepositoryCorruptException(file, "truncated pack header entry");
            }
            var length = BinaryPrimitives.ReadUInt32LittleEndian(header[1..]);
            uint uncompressed = 0;
            int idAt = 5;
            if (compressed)
            {
                uncompressed = BinaryPrimitives.ReadUInt32LittleEndian(header[5..]);
                idAt = 9;
                if (uncompressed == 0)
                {
                    throw new RepositoryCorruptException(file, "compressed pack header entry with zero length");
                }
            }
            if (length < PackLayout.CryptoOverhead)
            {
                throw new RepositoryCorruptException(file, $"pack header entry with impossible length {length}");
            }
            var id = new BlobId(Id.FromBytes(header.Slice(idAt, Id.Size)));
            var blobType = (type & 1) == 1 ? BlobType.Tree : BlobType.Data;
            if (offset + length > uint.MaxValue)
            {
                throw new RepositoryCorruptException(file, "pack header describes more than 4 GiB of blobs");
            }
            blobs.Add(new PackedBlob(new BlobHandle(id, blobType), (uint)offset, length, uncompressed));
            offset += length;
            header = header[entrySize..];
        }
        if (blobRegionSize is long expected && expected != offset)
        {
            throw new RepositoryCorruptException(file, $"pack header lists {offset} bytes of blobs, but the file holds {expected}");
        }
        return blobs;
    }
}
