namespace Coffer.Core.Restorer;

/// <summary>Byte layout of a POSIX ustar header block (offsets and lengths of its fields) and the type flags used.</summary>
internal static class TarLayout
{
    public const int BlockSize = 512;

    public const int NameOffset = 0;
    public const int NameLength = 100;
    public const int ModeOffset = 100;
    public const int UidOffset = 108;
    public const int GidOffset = 116;
    public const int IdLength = 8;
    public const int SizeOffset = 124;
    public const int SizeLength = 12;
    public const int MtimeOffset = 136;
    public const int MtimeLength = 12;
    public const int ChecksumOffset = 148;
    public const int ChecksumLength = 8;
    public const int TypeOffset = 156;
    public const int LinkNameOffset = 157;
    public const int LinkNameLength = 100;
    public const int MagicOffset = 257;
    public const int VersionOffset = 263;
    public const int UnameOffset = 265;
    public const int GnameOffset = 297;
    public const int OwnerNameLength = 32;
    public const int DevMajorOffset = 329;
    public const int DevMinorOffset = 337;
    public const int PrefixOffset = 345;
    public const int PrefixLength = 155;

    /// <summary>Largest value an 8-byte octal field holds (7 digits and a NUL).</summary>
    public const long MaxOctal8 = 0x1F_FFFF;

    /// <summary>Largest value a 12-byte octal field holds (11 digits and a NUL).</summary>
    public const long MaxOctal12 = 0x1_FFFF_FFFF;

    public const byte TypeRegular = (byte)'0';
    public const byte TypeHardLink = (byte)'1';
    public const byte TypeSymlink = (byte)'2';
    public const byte TypeCharDevice = (byte)'3';
    public const byte TypeBlockDevice = (byte)'4';
    public const byte TypeDirectory = (byte)'5';
    public const byte TypeFifo = (byte)'6';
    public const byte TypePaxHeader = (byte)'x';

    /// <summary>"ustar\0" then version "00": POSIX 1003.1-1988 ustar.</summary>
    public static ReadOnlySpan<byte> Magic => "ustar\000"u8;

    /// <summary>Name of the PAX extended header entries (what Python's tarfile writes).</summary>
    public static ReadOnlySpan<byte> PaxHeaderName => "././@PaxHeader"u8;
}
