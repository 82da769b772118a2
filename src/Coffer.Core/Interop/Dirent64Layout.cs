namespace Coffer.Core.Interop;

/// <summary>
/// Byte offsets in glibc's <c>struct dirent64</c> as <c>readdir64</c> returns it on Linux (the same on
/// every architecture).
/// </summary>
internal static class Dirent64Layout
{
    /// <summary><c>ino64_t d_ino</c>.</summary>
    internal const int Ino = 0;
    /// <summary><c>off64_t d_off</c>.</summary>
    internal const int Off = 8;
    /// <summary><c>unsigned short d_reclen</c>.</summary>
    internal const int RecordLength = 16;
    /// <summary><c>unsigned char d_type</c>.</summary>
    internal const int Type = 18;
    /// <summary><c>char d_name[]</c>, NUL-terminated.</summary>
    internal const int Name = 19;
}
