namespace Coffer.Core.Model;

/// <summary>The JSON names of <see cref="NodeType"/> values.</summary>
public static class NodeTypeNames
{
    /// <summary>The JSON name (<c>file</c>, <c>dir</c>, …); empty for <see cref="NodeType.Unknown"/>.</summary>
    public static string Name(this NodeType type) => type switch
    {
        NodeType.File => "file",
        NodeType.Dir => "dir",
        NodeType.Symlink => "symlink",
        NodeType.Dev => "dev",
        NodeType.CharDev => "chardev",
        NodeType.Fifo => "fifo",
        NodeType.Socket => "socket",
        NodeType.Irregular => "irregular",
        _ => "",
    };

    /// <summary>The JSON name as UTF-8 bytes; empty for <see cref="NodeType.Unknown"/>.</summary>
    public static ReadOnlySpan<byte> Utf8Name(this NodeType type) => type switch
    {
        NodeType.File => "file"u8,
        NodeType.Dir => "dir"u8,
        NodeType.Symlink => "symlink"u8,
        NodeType.Dev => "dev"u8,
        NodeType.CharDev => "chardev"u8,
        NodeType.Fifo => "fifo"u8,
        NodeType.Socket => "socket"u8,
        NodeType.Irregular => "irregular"u8,
        _ => default,
    };

    /// <summary>Maps a JSON name to its type; <see cref="NodeType.Unknown"/> for any other text.</summary>
    public static NodeType Parse(ReadOnlySpan<byte> utf8Name)
    {
        foreach (var type in All)
        {
            if (utf8Name.SequenceEqual(type.Utf8Name()))
            {
                return type;
            }
        }
        return NodeType.Unknown;
    }

    private static ReadOnlySpan<NodeType> All =>
    [
        NodeType.File, NodeType.Dir, NodeType.Symlink, NodeType.Dev, NodeType.CharDev,
        NodeType.Fifo, NodeType.Socket, NodeType.Irregular,
    ];
}
