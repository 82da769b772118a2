using Coffer.Core.Model;
using Coffer.Core.Primitives;

namespace Coffer.Core.Restorer;

/// <summary>
/// What restore keeps of a snapshot node for the whole run, instead of the node itself: mode, owner ids and
/// times inline, the rarer parts (<see cref="MetadataExtras"/>) behind one reference that is null for most
/// nodes. Holds exactly what <see cref="MetadataWriter"/> and <see cref="StructureWriter"/> use.
/// </summary>
internal readonly struct EntryMetadata
{
    private readonly MetadataExtras? _extras;

    private EntryMetadata(Node node, MetadataExtras? extras)
    {
        Mode = node.Mode;
        Uid = node.Uid;
        Gid = node.Gid;
        ModTime = node.ModTime;
        AccessTime = node.AccessTime;
        _extras = extras;
    }

    /// <summary>Go <c>os.FileMode</c> bits (see <see cref="GoFileMode"/>).</summary>
    public uint Mode { get; }

    /// <summary>Owner user id.</summary>
    public uint Uid { get; }

    /// <summary>Owner group id.</summary>
    public uint Gid { get; }

    /// <summary>Modification time.</summary>
    public GoTime ModTime { get; }

    /// <summary>Access time.</summary>
    public GoTime AccessTime { get; }

    /// <summary>Extended attributes in listing order.</summary>
    public IReadOnlyList<ExtendedAttribute> ExtendedAttributes => _extras?.ExtendedAttributes ?? [];

    /// <summary>A symlink's target; empty otherwise.</summary>
    public byte[] LinkTarget => _extras?.LinkTarget ?? [];

    /// <summary>A device node's number; 0 otherwise.</summary>
    public ulong Device => _extras?.Device ?? 0;

    /// <summary>True for a character device (a device node that is not one is a block device).</summary>
    public bool CharDevice => _extras?.CharDevice ?? false;

    /// <summary>Owner user name when owners are set by name; empty otherwise.</summary>
    public string User => _extras?.User ?? "";

    /// <summary>Owner group name when owners are set by name; empty otherwise.</summary>
    public string Group => _extras?.Group ?? "";

    /// <summary>Permission, setuid, setgid and sticky bits, as POSIX bits.</summary>
    public uint Permissions => GoFileMode.ToPosix(Mode) & 0xFFF;

    /// <summary>
    /// The mode a restored file is created with: its own permission bits without set-id or sticky bits (set with
    /// the owner at the end) and without write for group or others while its content is written, always readable
    /// and writable by the owner so that every pack worker can open it. Most files then need no <c>fchmod</c>.
    /// </summary>
    public uint FileCreateMode => (Permissions & 0x1ED) | 0x180;

    /// <summary>
    /// The mode a restored directory is created with: like <see cref="FileCreateMode"/>, with the owner's rwx so
    /// the restore can fill it.
    /// </summary>
    public uint DirectoryCreateMode => (Permissions & 0x1ED) | 0x1C0;

    /// <summary>
    /// The metadata of <paramref name="node"/>. Owner names are kept only with <paramref name="ownerNames"/>, each
    /// distinct name once through <paramref name="intern"/>; the extras object is made only when something needs it.
    /// </summary>
    public static EntryMetadata From(Node node, bool ownerNames, Dictionary<string, string> intern)
    {
        var isDevice = node.Type is NodeType.Dev or NodeType.CharDev;
        var linkTarget = node.Type == NodeType.Symlink ? node.LinkTarget : [];
        var user = ownerNames ? Intern(node.User, intern) : "";
        var group = ownerNames ? Intern(node.Group, intern) : "";
        if (node.ExtendedAttributes.Count == 0 && linkTarget.Length == 0 && !isDevice && user.Length == 0 && group.Length == 0)
        {
            return new EntryMetadata(node, null);
        }
        return new EntryMetadata(node, new MetadataExtras
        {
            ExtendedAttributes = node.ExtendedAttributes.Count == 0 ? [] : node.ExtendedAttributes,
            LinkTarget = linkTarget,
            Device = isDevice ? node.Device : 0,
            CharDevice = node.Type == NodeType.CharDev,
            User = user,
            Group = group,
        });
    }

    private static string Intern(string name, Dictionary<string, string> intern)
    {
        if (name.Length == 0)
        {
            return "";
        }
        if (!intern.TryGetValue(name, out var shared))
        {
            intern.Add(name, name);
            shared = name;
        }
        return shared;
    }
}
