using System.Buffers;
using System.Globalization;

namespace Coffer.Core.Model;

/// <summary>
/// The text lines of restic's <c>ls</c>: the path alone, or with <c>-l</c>
/// <c>&lt;mode&gt; &lt;uid:5&gt; &lt;gid:5&gt; &lt;size:6&gt; &lt;yyyy-MM-dd HH:mm:ss&gt; &lt;path&gt;[ -&gt; &lt;target&gt;]</c>
/// (numbers right-aligned in at least that many columns). Paths and link targets are printed as raw bytes,
/// not quoted. Lines are returned without the newline. Stateless and thread-safe.
/// </summary>
public static class NodeListing
{
    /// <summary>The short form: the path itself.</summary>
    public static byte[] FormatShort(ReadOnlySpan<byte> path) => path.ToArray();

    /// <summary>
    /// The long form. The mode column is <see cref="FileModeText"/> of the stored mode with the type bits of
    /// the node's type added; the time is the modification time as wall clock in <paramref name="zone"/>
    /// (restic uses the local zone); symlinks get <c> -&gt; target</c>.
    /// </summary>
    public static byte[] FormatLong(Node node, ReadOnlySpan<byte> path, TimeZoneInfo zone)
    {
        var buffer = new ArrayBufferWriter<byte>(128 + path.Length + node.LinkTarget.Length);
        var span = buffer.GetSpan(FileModeText.MaxLength + 64);
        var pos = FileModeText.Format(GoFileMode.TypeBits(node.Type) | node.Mode, span);
        pos = WritePadded(span, pos, node.Uid, 5);
        pos = WritePadded(span, pos, node.Gid, 5);
        pos = WritePadded(span, pos, node.Size, 6);
        span[pos++] = (byte)' ';
        pos += GoTimeText.FormatWallClock(node.ModTime.InZone(zone), span[pos..], (byte)' ');
        span[pos++] = (byte)' ';
        buffer.Advance(pos);
        buffer.Write(path);
        if (node.Type == NodeType.Symlink)
        {
            buffer.Write(" -> "u8);
            buffer.Write(node.LinkTarget);
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static int WritePadded(Span<byte> span, int pos, ulong value, int width)
    {
        span[pos++] = (byte)' ';
        Span<byte> digits = stackalloc byte[20];
        value.TryFormat(digits, out var length, default, CultureInfo.InvariantCulture);
        for (var i = length; i < width; i++)
        {
            span[pos++] = (byte)' ';
        }
        digits[..length].CopyTo(span[pos..]);
        return pos + length;
    }
}
