using System.Runtime.InteropServices;
using Coffer.Core.Primitives;

namespace Coffer.Core.Interop;

/// <summary>
/// What <c>lstat</c> says about one file, in the form restic records it: the raw POSIX <see cref="Mode"/>,
/// device numbers in Go's Linux <c>dev_t</c> encoding (<see cref="DeviceNumber"/>), and times with nanoseconds
/// in the local zone's offset at that instant (use <see cref="GoTime.InZone"/> for another zone).
/// </summary>
/// <param name="Mode">Raw <c>st_mode</c>: file type (<c>S_IFMT</c> bits) and permission, setuid, setgid and sticky bits.</param>
/// <param name="Uid">Owner user id.</param>
/// <param name="Gid">Owner group id.</param>
/// <param name="Size">Size in bytes (for a symlink: the length of its target).</param>
/// <param name="Inode">Inode number.</param>
/// <param name="DeviceId">The file system's device (<c>st_dev</c>), encoded as restic's <c>device_id</c>.</param>
/// <param name="Links">Number of hard links.</param>
/// <param name="RDev">The device a device file stands for (<c>st_rdev</c>), encoded as restic's <c>device</c>; 0 otherwise.</param>
/// <param name="ModTime">Last modification (<c>st_mtim</c>).</param>
/// <param name="AccessTime">Last access (<c>st_atim</c>).</param>
/// <param name="ChangeTime">Last inode change (<c>st_ctim</c>).</param>
public readonly record struct FileStatus(
    uint Mode,
    uint Uid,
    uint Gid,
    ulong Size,
    ulong Inode,
    ulong DeviceId,
    ulong Links,
    ulong RDev,
    GoTime ModTime,
    GoTime AccessTime,
    GoTime ChangeTime)
{
    /// <summary><c>S_IFMT</c>: the file-type bits of <see cref="Mode"/>.</summary>
    public const uint TypeMask = 0xF000;
    /// <summary><c>S_IFSOCK</c>.</summary>
    public const uint TypeSocket = 0xC000;
    /// <summary><c>S_IFLNK</c>.</summary>
    public const uint TypeSymlink = 0xA000;
    /// <summary><c>S_IFREG</c>.</summary>
    public const uint TypeRegular = 0x8000;
    /// <summary><c>S_IFBLK</c>.</summary>
    public const uint TypeBlockDevice = 0x6000;
    /// <summary><c>S_IFDIR</c>.</summary>
    public const uint TypeDirectory = 0x4000;
    /// <summary><c>S_IFCHR</c>.</summary>
    public const uint TypeCharDevice = 0x2000;
    /// <summary><c>S_IFIFO</c>.</summary>
    public const uint TypeFifo = 0x1000;

    private const long MinUnix = -62135596800; // 0001-01-01T00:00:00Z, DateTimeOffset's range
    private const long MaxUnix = 253402300799; // 9999-12-31T23:59:59Z

    /// <summary>True for a regular file.</summary>
    public bool IsRegular => (Mode & TypeMask) == TypeRegular;
    /// <summary>True for a directory.</summary>
    public bool IsDirectory => (Mode & TypeMask) == TypeDirectory;
    /// <summary>True for a symbolic link.</summary>
    public bool IsSymlink => (Mode & TypeMask) == TypeSymlink;
    /// <summary>True for a named pipe.</summary>
    public bool IsFifo => (Mode & TypeMask) == TypeFifo;
    /// <summary>True for a Unix socket.</summary>
    public bool IsSocket => (Mode & TypeMask) == TypeSocket;
    /// <summary>True for a character device.</summary>
    public bool IsCharDevice => (Mode & TypeMask) == TypeCharDevice;
    /// <summary>True for a block device.</summary>
    public bool IsBlockDevice => (Mode & TypeMask) == TypeBlockDevice;
    /// <summary>Permission, setuid, setgid and sticky bits (<c>Mode &amp; 07777</c>).</summary>
    public uint Permissions => Mode & 0xFFF;

    /// <summary>Reads a filled <c>struct statx</c> (see <see cref="StatxLayout"/>).</summary>
    internal static FileStatus FromStatx(ReadOnlySpan<byte> statx)
    {
        return new FileStatus(
            Mode: Read<ushort>(statx, StatxLayout.Mode),
            Uid: Read<uint>(statx, StatxLayout.Uid),
            Gid: Read<uint>(statx, StatxLayout.Gid),
            Size: Read<ulong>(statx, StatxLayout.FileSize),
            Inode: Read<ulong>(statx, StatxLayout.Ino),
            DeviceId: DeviceNumber.Encode(Read<uint>(statx, StatxLayout.DevMajor), Read<uint>(statx, StatxLayout.DevMinor)),
            Links: Read<uint>(statx, StatxLayout.NLink),
            RDev: DeviceNumber.Encode(Read<uint>(statx, StatxLayout.RDevMajor), Read<uint>(statx, StatxLayout.RDevMinor)),
            ModTime: Time(statx, StatxLayout.MTime),
            AccessTime: Time(statx, StatxLayout.ATime),
            ChangeTime: Time(statx, StatxLayout.CTime));
    }

    private static T Read<T>(ReadOnlySpan<byte> buffer, int offset)
        where T : unmanaged => MemoryMarshal.Read<T>(buffer[offset..]);

    private static GoTime Time(ReadOnlySpan<byte> statx, int offset)
    {
        var seconds = Read<long>(statx, offset);
        var nanoseconds = Read<uint>(statx, offset + StatxLayout.TimestampNanoseconds);
        // Go's time.Unix(...).Local: the offset in force at that instant, not today's.
        return GoTime.FromUnix(seconds, nanoseconds, LocalOffset(seconds));
    }

    // Zone offsets change at most on quarter-hour boundaries; files from the same quarter hour are common,
    // so the last answer is kept per thread instead of asking the zone rules three times per file.
    [ThreadStatic]
    private static long t_lastQuarter;
    [ThreadStatic]
    private static TimeSpan t_lastOffset;
    [ThreadStatic]
    private static bool t_hasLast;

    private static TimeSpan LocalOffset(long seconds)
    {
        var quarter = Math.DivRem(seconds, 900, out var rest) - (rest < 0 ? 1 : 0);
        if (t_hasLast && quarter == t_lastQuarter)
        {
            return t_lastOffset;
        }
        var offset = TimeZoneInfo.Local.GetUtcOffset(DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(seconds, MinUnix, MaxUnix)));
        (t_lastQuarter, t_lastOffset, t_hasLast) = (quarter, offset, true);
        return offset;
    }
}
