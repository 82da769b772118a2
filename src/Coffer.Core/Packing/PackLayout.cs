namespace Coffer.Core.Packing;

/// <summary>Byte layout constants of pack files (restic format §5), in one place.</summary>
public static class PackLayout
{
    /// <summary>IV plus MAC added by sealing.</summary>
    public const int CryptoOverhead = 32;

    /// <summary>The trailing little-endian uint32 holding the sealed header's length.</summary>
    public const int TrailerSize = 4;

    /// <summary>Header entry of an uncompressed blob: type, length, id.</summary>
    public const int PlainEntrySize = 1 + 4 + 32;

    /// <summary>Header entry of a compressed blob: type, length, uncompressed length, id.</summary>
    public const int CompressedEntrySize = 1 + 4 + 4 + 32;

    /// <summary>Largest sealed header a reader accepts.</summary>
    public const int MaxHeaderSize = 16 * 1024 * 1024;

    /// <summary>Header entry type bytes.</summary>
    public const byte TypeData = 0, TypeTree = 1, TypeDataCompressed = 2, TypeTreeCompressed = 3;

    /// <summary>Default target size of a pack (restic's default).</summary>
    public const int DefaultPackSize = 16 * 1024 * 1024;

    /// <summary>Smallest and largest allowed <c>--pack-size</c>, in MiB.</summary>
    public const int MinPackSizeMiB = 4, MaxPackSizeMiB = 128;

    /// <summary>Bytes a header entry takes.</summary>
    public static int EntrySize(bool compressed) => compressed ? CompressedEntrySize : PlainEntrySize;
}
