using Coffer.Core.Interop;
using Coffer.Core.Model;

namespace Coffer.Core.Archiver;

/// <summary>
/// Builds a node from what lstat says, with the fields restic records for each type: links only for
/// files, symlinks and devices; size only for files; extended attributes for all but symlinks.
/// Thread-safe.
/// </summary>
internal sealed class NodeFactory(UserNames names, bool withAtime)
{
    /// <summary>The node type for a POSIX st_mode, or null for sockets (which restic skips).</summary>
    public static NodeType? TypeOf(uint stMode) => (stMode & 0xF000) switch
    {
        0x8000 => NodeType.File,
        0x4000 => NodeType.Dir,
        0xA000 => NodeType.Symlink,
        0x6000 => NodeType.Dev,
        0x2000 => NodeType.CharDev,
        0x1000 => NodeType.Fifo,
        0xC000 => null,
        _ => NodeType.Irregular,
    };

    /// <summary>
    /// The node for <paramref name="path"/>. Reading the link target or attributes may fail; such
    /// failures are returned in <paramref name="warning"/> and the node is still usable.
    /// </summary>
    public Node Create(byte[] path, byte[] name, NodeType type, in FileStatus st, out string? warning, Node? previous = null)
    {
        warning = null;
        var node = new Node
        {
            Name = name,
            Type = type,
            Mode = GoFileMode.FromPosix(st.Mode),
            ModTime = st.ModTime,
            AccessTime = withAtime ? st.AccessTime : st.ModTime,
            ChangeTime = st.ChangeTime,
            Uid = st.Uid,
            Gid = st.Gid,
            User = names.UserName(st.Uid) ?? "",
            Group = names.GroupName(st.Gid) ?? "",
            Inode = st.Inode,
            DeviceId = st.DeviceId,
        };
        switch (type)
        {
            case NodeType.File:
                node.Size = st.Size;
                node.Links = st.Links;
                node.Content = [];
                break;
            case NodeType.Symlink:
                node.Links = st.Links;
                try
                {
                    node.LinkTarget = PosixFileSystem.ReadLink(path);
                }
                catch (IOException e)
                {
                    warning = e.Message;
                }
                break;
            case NodeType.Dev:
            case NodeType.CharDev:
                node.Links = st.Links;
                node.Device = st.RDev;
                break;
        }
        if (type != NodeType.Symlink && previous is not null && previous.Type == type && previous.Inode == st.Inode
            && previous.ChangeTime.SameInstant(st.ChangeTime) && previous.ChangeTime.Nanoseconds != 0)
        {
            // Setting or removing an attribute changes the ctime: with the same inode and ctime (to the
            // nanosecond) the attributes are the parent's, and listing them again would cost a system call per file.
            node.ExtendedAttributes = previous.ExtendedAttributes;
        }
        else if (type != NodeType.Symlink)
        {
            try
            {
                var attributes = PosixFileSystem.ListXattrs(path);
                if (attributes.Count > 0)
                {
                    node.ExtendedAttributes = attributes.Select(a => new ExtendedAttribute(a.Name, a.Value)).ToList();
                }
            }
            catch (IOException e)
            {
                warning = e.Message;
            }
        }
        return node;
    }

    /// <summary>True when a file may reuse the parent's content without being read (restic §10).</summary>
    public static bool Unchanged(Node? previous, in FileStatus st, bool ignoreInode, bool ignoreCtime)
    {
        if (previous is null || previous.Type != NodeType.File || previous.Content is null)
        {
            return false;
        }
        if (previous.Size != st.Size || !previous.ModTime.SameInstant(st.ModTime))
        {
            return false;
        }
        if (!ignoreCtime && !ignoreInode && !previous.ChangeTime.SameInstant(st.ChangeTime))
        {
            return false;
        }
        return ignoreInode || previous.Inode == st.Inode;
    }

    /// <summary>True when two nodes record the same content and metadata (restic's "unmodified").</summary>
    public static bool Same(Node a, Node b)
    {
        if (a.Type != b.Type || a.Mode != b.Mode || !a.ModTime.SameInstant(b.ModTime) || !a.ChangeTime.SameInstant(b.ChangeTime)
            || a.Uid != b.Uid || a.Gid != b.Gid || a.Inode != b.Inode || a.Size != b.Size || a.Links != b.Links
            || a.Device != b.Device || a.Subtree != b.Subtree || !a.LinkTarget.AsSpan().SequenceEqual(b.LinkTarget))
        {
            return false;
        }
        if ((a.Content is null) != (b.Content is null) || (a.Content is not null && !a.Content.SequenceEqual(b.Content!)))
        {
            return false;
        }
        return a.ExtendedAttributes.Count == b.ExtendedAttributes.Count
            && a.ExtendedAttributes.Zip(b.ExtendedAttributes).All(p => p.First.Name == p.Second.Name && (p.First.Value ?? []).AsSpan().SequenceEqual(p.Second.Value ?? []));
    }
}
