using System.Text;
using Coffer.Core.Interop;
using Coffer.Core.Primitives;

namespace Coffer.Testing;

/// <summary>
/// A source tree with every node kind a backup must record: regular, empty, large and sparse-ish files,
/// hard links, xattrs, non-UTF-8 names and link targets, setuid/setgid/sticky modes, fifos, char and
/// block devices (as root), nested and empty directories, with fixed nanosecond times.
/// </summary>
public static class EveryKindTree
{
    /// <summary>
    /// Creates the tree. <paramref name="nonUtf8LinkTarget"/> adds a symlink whose target is not UTF-8:
    /// restic 0.14 cannot record such a target (it stores U+FFFD), so tests against it leave that out.
    /// </summary>
    public static void Create(string root, bool nonUtf8LinkTarget = true)
    {
        SourceTree.CreateMixed(root);
        var r = Encoding.UTF8.GetBytes(root);
        byte[] P(string name) => PosixPath.Join(r, Encoding.UTF8.GetBytes(name));

        File.WriteAllText(Path.Combine(root, "hardlink-a.txt"), "shared by two names\n");
        PosixFileSystem.CreateHardLink(P("hardlink-a.txt"), P("hardlink-b.txt"));
        File.WriteAllText(Path.Combine(root, "xattr.txt"), "has an attribute\n");
        try
        {
            PosixFileSystem.SetXattr(P("xattr.txt"), "user.comment", "hello xattr"u8);
        }
        catch (IOException)
        {
            // file system without user xattrs: the rest still applies
        }
        var badName = PosixPath.Join(r, [.. "bad"u8, 0xff, 0xfe, .. "utf8.txt"u8]);
        using (var h = PosixFileSystem.CreateFile(badName, 0x1a4))
        {
            RandomAccess.Write(h, "non-UTF-8 name\n"u8, 0);
        }
        if (nonUtf8LinkTarget)
        {
            PosixFileSystem.CreateSymlink([.. "target-"u8, 0xff], P("bad-target-link"));
        }
        PosixFileSystem.CreateSymlink("../does/not/exist"u8, P("dangling-link"));
        File.WriteAllText(Path.Combine(root, "setuid-prog"), "#!/bin/sh\n");
        PosixFileSystem.Chmod(P("setuid-prog"), 0x9ed); // 04755
        Directory.CreateDirectory(Path.Combine(root, "sticky-dir"));
        PosixFileSystem.Chmod(P("sticky-dir"), 0x3ff); // 01777
        Directory.CreateDirectory(Path.Combine(root, "setgid-dir"));
        PosixFileSystem.Chmod(P("setgid-dir"), 0x5ed); // 02755
        File.WriteAllText(Path.Combine(root, "setgid-dir", "inside.txt"), "inside\n");
        PosixFileSystem.MakeFifo(P("fifo"), 0x1a4);
        if (Environment.UserName == "root")
        {
            PosixFileSystem.MakeDevice(P("chardev"), 0x2000 | 0x1a4, DeviceNumber.Encode(1, 3));
            PosixFileSystem.MakeDevice(P("blockdev"), 0x6000 | 0x1a0, DeviceNumber.Encode(7, 0));
        }
        var zeros = new byte[3 * 1024 * 1024];
        File.WriteAllBytes(Path.Combine(root, "zeros.bin"), zeros);
        var t = new GoTime(1_600_000_000, 123_456_789, 0);
        foreach (var name in new[] { "hello.txt", "xattr.txt", "setuid-prog", "zeros.bin", "hardlink-a.txt" })
        {
            PosixFileSystem.SetTimes(P(name), t, t, noFollow: true);
        }
        PosixFileSystem.SetTimes(P("dangling-link"), t, t, noFollow: true);
    }
}
