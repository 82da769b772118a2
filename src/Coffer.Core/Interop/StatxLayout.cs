namespace Coffer.Core.Interop;

/// <summary>
/// Byte offsets in Linux's <c>struct statx</c> (<c>include/uapi/linux/stat.h</c>). The struct has fixed-size
/// fields only, so the layout is the same on every 64-bit and 32-bit architecture.
/// </summary>
internal static class StatxLayout
{
    /// <summary>Size of the struct (with its spare tail).</summary>
    internal const int Size = 256;
    /// <summary><c>__u32 stx_mask</c>: which fields the kernel filled in.</summary>
    internal const int Mask = 0;
    /// <summary><c>__u32 stx_nlink</c>.</summary>
    internal const int NLink = 16;
    /// <summary><c>__u32 stx_uid</c>.</summary>
    internal const int Uid = 20;
    /// <summary><c>__u32 stx_gid</c>.</summary>
    internal const int Gid = 24;
    /// <summary><c>__u16 stx_mode</c>: file type and permission bits.</summary>
    internal const int Mode = 28;
    /// <summary><c>__u64 stx_ino</c>.</summary>
    internal const int Ino = 32;
    /// <summary><c>__u64 stx_size</c>.</summary>
    internal const int FileSize = 40;
    /// <summary><c>struct statx_timestamp stx_atime</c>: <c>__s64 tv_sec</c>, then <c>__u32 tv_nsec</c>.</summary>
    internal const int ATime = 64;
    /// <summary><c>struct statx_timestamp stx_ctime</c>.</summary>
    internal const int CTime = 96;
    /// <summary><c>struct statx_timestamp stx_mtime</c>.</summary>
    internal const int MTime = 112;
    /// <summary>Offset of <c>tv_nsec</c> inside a <c>statx_timestamp</c>.</summary>
    internal const int TimestampNanoseconds = 8;
    /// <summary><c>__u32 stx_rdev_major</c>.</summary>
    internal const int RDevMajor = 128;
    /// <summary><c>__u32 stx_rdev_minor</c>.</summary>
    internal const int RDevMinor = 132;
    /// <summary><c>__u32 stx_dev_major</c>.</summary>
    internal const int DevMajor = 136;
    /// <summary><c>__u32 stx_dev_minor</c>.</summary>
    internal const int DevMinor = 140;
}
