namespace Coffer.Core.Model;

/// <summary>
/// Go's <c>os.FileMode.String()</c>, the mode column of restic's <c>ls -l</c>: one letter per set type or special
/// bit from the top (<c>d a l T L D p S u g c t ?</c>), or <c>-</c> when none is set, then <c>rwxrwxrwx</c> with
/// <c>-</c> for clear permission bits. Examples: <c>drwxr-xr-x</c>, <c>Dcrw-r--r--</c>, <c>dtrwxrwxrwx</c>.
/// </summary>
public static class FileModeText
{
    private static ReadOnlySpan<byte> TypeLetters => "dalTLDpSugct?"u8;
    private static ReadOnlySpan<byte> PermissionLetters => "rwxrwxrwx"u8;

    /// <summary>Longest possible text: 13 letters and 9 permission characters.</summary>
    public const int MaxLength = 22;

    /// <summary>The text of <paramref name="mode"/>.</summary>
    public static string Format(uint mode)
    {
        Span<byte> buffer = stackalloc byte[MaxLength];
        var length = Format(mode, buffer);
        return System.Text.Encoding.ASCII.GetString(buffer[..length]);
    }

    /// <summary>Writes the text of <paramref name="mode"/> as ASCII and returns its length (at most <see cref="MaxLength"/>).</summary>
    public static int Format(uint mode, Span<byte> destination)
    {
        var w = 0;
        for (var i = 0; i < TypeLetters.Length; i++)
        {
            if ((mode & (1u << (31 - i))) != 0)
            {
                destination[w++] = TypeLetters[i];
            }
        }
        if (w == 0)
        {
            destination[w++] = (byte)'-';
        }
        for (var i = 0; i < PermissionLetters.Length; i++)
        {
            destination[w++] = (mode & (1u << (8 - i))) != 0 ? PermissionLetters[i] : (byte)'-';
        }
        return w;
    }
}
