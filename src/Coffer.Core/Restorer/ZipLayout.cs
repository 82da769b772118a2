namespace Coffer.Core.Restorer;

/// <summary>Signatures, sizes and constants of the zip format (APPNOTE 6.3) as the dump writer uses them.</summary>
internal static class ZipLayout
{
    public const uint LocalHeaderSignature = 0x04034b50;
    public const uint DataDescriptorSignature = 0x08074b50;
    public const uint CentralHeaderSignature = 0x02014b50;
    public const uint EndOfCentralSignature = 0x06054b50;
    public const uint Zip64EndOfCentralSignature = 0x06064b50;
    public const uint Zip64LocatorSignature = 0x07064b50;

    public const int LocalHeaderSize = 30;
    public const int CentralHeaderSize = 46;
    public const int EndOfCentralSize = 22;
    public const int Zip64EndOfCentralSize = 56;
    public const int Zip64LocatorSize = 20;

    public const ushort MethodStored = 0;
    public const ushort MethodDeflate = 8;

    /// <summary>Bit 3: sizes and CRC follow the data in a data descriptor.</summary>
    public const ushort FlagDataDescriptor = 1 << 3;

    /// <summary>Bit 11: the name is UTF-8.</summary>
    public const ushort FlagUtf8 = 1 << 11;

    /// <summary>Version 2.0 (deflate, directories).</summary>
    public const ushort VersionDeflate = 20;

    /// <summary>Version 4.5 (Zip64).</summary>
    public const ushort VersionZip64 = 45;

    /// <summary>"Made by" host system: Unix (external attributes hold <c>st_mode</c> in the high 16 bits).</summary>
    public const ushort HostUnix = 3 << 8;

    /// <summary>MS-DOS directory attribute in the external attributes.</summary>
    public const uint DosDirectory = 0x10;

    public const ushort Zip64ExtraTag = 0x0001;
    public const ushort ExtendedTimestampTag = 0x5455;

    /// <summary>A 32-bit field that is all ones means "see the Zip64 extra field".</summary>
    public const uint Saturated32 = 0xFFFF_FFFF;

    public const ushort Saturated16 = 0xFFFF;

    /// <summary>
    /// A file whose node size exceeds this gets a Zip64 local header before its data is written: deflate can
    /// grow incompressible data a little, so the decision needs a margin below 4 GiB.
    /// </summary>
    public const long Zip64LocalThreshold = 0xF000_0000;
}
