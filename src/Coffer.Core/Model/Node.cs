using System.Text;
using Coffer.Core.Primitives;

namespace Coffer.Core.Model;

/// <summary>
/// One entry of a tree: a file system object's name, type, metadata and, for files, the data blobs of its
/// content or, for directories, the id of its subtree. The fields and their JSON form are restic's node.
/// </summary>
/// <remarks>
/// A plain mutable data holder, not thread-safe. Byte arrays and lists are stored as given, not copied.
/// Names and link targets are raw bytes (any encoding, as the file system returned them).
/// </remarks>
public sealed partial class Node
{
    /// <summary>Go's zero <c>time.Time</c> (<c>0001-01-01T00:00:00Z</c>), the value of a time field that was never set.</summary>
    public static readonly GoTime ZeroTime = new(-62135596800, 0, 0);

    /// <summary>The name as raw bytes (one path component). JSON: <c>name</c>, Go-quoted.</summary>
    public byte[] Name { get; set; } = [];

    /// <summary>
    /// The name as a string: set stores its UTF-8 bytes; get decodes <see cref="Name"/> as UTF-8, replacing
    /// invalid bytes with U+FFFD (so it is exact only when <see cref="Name"/> is valid UTF-8).
    /// </summary>
    public string NameText
    {
        get => Encoding.UTF8.GetString(Name);
        set => Name = Encoding.UTF8.GetBytes(value);
    }

    /// <summary>The kind of object. JSON: <c>type</c>.</summary>
    public NodeType Type { get; set; }

    /// <summary>The <c>type</c> text when <see cref="Type"/> is <see cref="NodeType.Unknown"/>, written back verbatim.</summary>
    public string? UnknownTypeName { get; set; }

    /// <summary>Go <c>os.FileMode</c> bits (see <see cref="GoFileMode"/>). JSON: <c>mode</c>, omitted if 0.</summary>
    public uint Mode { get; set; }

    /// <summary>Modification time. JSON: <c>mtime</c>.</summary>
    public GoTime ModTime { get; set; } = ZeroTime;

    /// <summary>Access time (restic stores the mtime here unless told otherwise). JSON: <c>atime</c>.</summary>
    public GoTime AccessTime { get; set; } = ZeroTime;

    /// <summary>Inode change time. JSON: <c>ctime</c>.</summary>
    public GoTime ChangeTime { get; set; } = ZeroTime;

    /// <summary>Owner user id. JSON: <c>uid</c>, always written.</summary>
    public uint Uid { get; set; }

    /// <summary>Owner group id. JSON: <c>gid</c>, always written.</summary>
    public uint Gid { get; set; }

    /// <summary>Owner user name. JSON: <c>user</c>, omitted if empty.</summary>
    public string User { get; set; } = "";

    /// <summary>Owner group name. JSON: <c>group</c>, omitted if empty.</summary>
    public string Group { get; set; } = "";

    /// <summary>Inode number. JSON: <c>inode</c>, omitted if 0.</summary>
    public ulong Inode { get; set; }

    /// <summary>Device id of the containing file system (st_dev). JSON: <c>device_id</c>, omitted if 0.</summary>
    public ulong DeviceId { get; set; }

    /// <summary>File size in bytes. JSON: <c>size</c>, omitted if 0.</summary>
    public ulong Size { get; set; }

    /// <summary>Hard link count. JSON: <c>links</c>, omitted if 0.</summary>
    public ulong Links { get; set; }

    /// <summary>
    /// Symlink target as raw bytes. JSON: <c>linktarget</c> (omitted if empty; invalid UTF-8 shown as U+FFFD) and,
    /// only when the target is not valid UTF-8, <c>linktarget_raw</c> (base64, exact; wins when reading).
    /// </summary>
    public byte[] LinkTarget { get; set; } = [];

    /// <summary>Extended attributes in listing order. JSON: <c>extended_attributes</c>, omitted if empty.</summary>
    public IReadOnlyList<ExtendedAttribute> ExtendedAttributes { get; set; } = [];

    /// <summary>
    /// OS-specific extras (e.g. <c>windows.creation_time</c>): name → raw JSON value, kept verbatim.
    /// JSON: <c>generic_attributes</c>, omitted if empty, written with names in byte order as Go sorts map keys.
    /// The default is a shared, read-only empty dictionary (most nodes have none): assign a new one to add.
    /// </summary>
    public IDictionary<string, byte[]> GenericAttributes { get; set; } = NoGenericAttributes;

    // Shared by every node without generic attributes (nearly all); read-only, so it cannot be filled by mistake.
    private static readonly IDictionary<string, byte[]> NoGenericAttributes = new System.Collections.ObjectModel.ReadOnlyDictionary<string, byte[]>(new Dictionary<string, byte[]>());

    /// <summary>Device number (st_rdev, Linux encoding) of a device node. JSON: <c>device</c>, omitted if 0.</summary>
    public ulong Device { get; set; }

    /// <summary>
    /// Data blob ids of a file's content, in order. JSON: <c>content</c>, always written: <c>null</c> when this is
    /// null (every non-file), <c>[]</c> when empty (an empty file).
    /// </summary>
    public IReadOnlyList<BlobId>? Content { get; set; }

    /// <summary>Tree blob of a directory. JSON: <c>subtree</c>, omitted when null.</summary>
    public BlobId? Subtree { get; set; }

    /// <summary>Free-text error noted at backup time. JSON: <c>error</c>, omitted if null or empty.</summary>
    public string? Error { get; set; }
}
