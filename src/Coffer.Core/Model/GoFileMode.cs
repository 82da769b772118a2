namespace Coffer.Core.Model;

/// <summary>
/// Bits of Go's <c>os.FileMode</c>, the value restic stores in a node's <c>mode</c>, and conversion from and to
/// POSIX <c>st_mode</c>. Go numbers the type bits from the top of the 32-bit word; the low 9 bits are the
/// permission bits as in POSIX.
/// </summary>
public static class GoFileMode
{
    /// <summary>Directory (bit 31).</summary>
    public const uint Dir = 0x8000_0000;
    /// <summary>Append-only (bit 30; never stored by restic).</summary>
    public const uint Append = 0x4000_0000;
    /// <summary>Exclusive use (bit 29; never stored by restic).</summary>
    public const uint Exclusive = 0x2000_0000;
    /// <summary>Temporary file (bit 28; never stored by restic).</summary>
    public const uint Temporary = 0x1000_0000;
    /// <summary>Symbolic link (bit 27).</summary>
    public const uint Symlink = 0x0800_0000;
    /// <summary>Device, block or character (bit 26).</summary>
    public const uint Device = 0x0400_0000;
    /// <summary>Named pipe (bit 25).</summary>
    public const uint NamedPipe = 0x0200_0000;
    /// <summary>Unix socket (bit 24).</summary>
    public const uint Socket = 0x0100_0000;
    /// <summary>Set-user-id (bit 23).</summary>
    public const uint Setuid = 0x0080_0000;
    /// <summary>Set-group-id (bit 22).</summary>
    public const uint Setgid = 0x0040_0000;
    /// <summary>Character device, together with <see cref="Device"/> (bit 21).</summary>
    public const uint CharDevice = 0x0020_0000;
    /// <summary>Sticky (bit 20).</summary>
    public const uint Sticky = 0x0010_0000;
    /// <summary>Irregular file of no other kind (bit 19).</summary>
    public const uint Irregular = 0x0008_0000;
    /// <summary>The nine permission bits.</summary>
    public const uint Permissions = 0x1FF;
    /// <summary>All type bits.</summary>
    public const uint TypeMask = Dir | Symlink | NamedPipe | Socket | Device | CharDevice | Irregular;

    private const uint PosixTypeMask = 0xF000;
    private const uint PosixSocket = 0xC000;
    private const uint PosixSymlink = 0xA000;
    private const uint PosixRegular = 0x8000;
    private const uint PosixBlock = 0x6000;
    private const uint PosixDir = 0x4000;
    private const uint PosixChar = 0x2000;
    private const uint PosixFifo = 0x1000;
    private const uint PosixSetuid = 0x800;
    private const uint PosixSetgid = 0x400;
    private const uint PosixSticky = 0x200;

    /// <summary>
    /// Go FileMode of a POSIX <c>st_mode</c>, as Go's <c>os.Stat</c> builds it on Linux: permission bits, the
    /// type (block device = <see cref="Device"/>, character device = <see cref="Device"/> | <see cref="CharDevice"/>),
    /// setuid, setgid, sticky. A file type other than the seven POSIX ones gives <see cref="Irregular"/>.
    /// </summary>
    public static uint FromPosix(uint stMode)
    {
        var mode = stMode & Permissions;
        mode |= (stMode & PosixTypeMask) switch
        {
            PosixBlock => Device,
            PosixChar => Device | CharDevice,
            PosixDir => Dir,
            PosixFifo => NamedPipe,
            PosixSymlink => Symlink,
            PosixRegular => 0,
            PosixSocket => Socket,
            _ => Irregular,
        };
        if ((stMode & PosixSetgid) != 0)
        {
            mode |= Setgid;
        }
        if ((stMode & PosixSetuid) != 0)
        {
            mode |= Setuid;
        }
        if ((stMode & PosixSticky) != 0)
        {
            mode |= Sticky;
        }
        return mode;
    }

    /// <summary>
    /// POSIX <c>st_mode</c> of a Go FileMode: the inverse of <see cref="FromPosix"/> (no type bit = regular file;
    /// <see cref="Irregular"/> gives file type 0). Bits with no POSIX counterpart are dropped.
    /// </summary>
    public static uint ToPosix(uint mode)
    {
        var st = mode & Permissions;
        if ((mode & Dir) != 0)
        {
            st |= PosixDir;
        }
        else if ((mode & Symlink) != 0)
        {
            st |= PosixSymlink;
        }
        else if ((mode & Device) != 0)
        {
            st |= (mode & CharDevice) != 0 ? PosixChar : PosixBlock;
        }
        else if ((mode & NamedPipe) != 0)
        {
            st |= PosixFifo;
        }
        else if ((mode & Socket) != 0)
        {
            st |= PosixSocket;
        }
        else if ((mode & Irregular) == 0)
        {
            st |= PosixRegular;
        }
        if ((mode & Setuid) != 0)
        {
            st |= PosixSetuid;
        }
        if ((mode & Setgid) != 0)
        {
            st |= PosixSetgid;
        }
        if ((mode & Sticky) != 0)
        {
            st |= PosixSticky;
        }
        return st;
    }

    /// <summary>The type bits a node of this type carries (used by listings, which add them to the stored mode).</summary>
    public static uint TypeBits(NodeType type) => type switch
    {
        NodeType.Dir => Dir,
        NodeType.Symlink => Symlink,
        NodeType.Dev => Device,
        NodeType.CharDev => Device | CharDevice,
        NodeType.Fifo => NamedPipe,
        NodeType.Socket => Socket,
        NodeType.Irregular => Irregular,
        _ => 0,
    };
}
