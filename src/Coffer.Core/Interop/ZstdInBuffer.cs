using System.Runtime.InteropServices;

namespace Coffer.Core.Interop;

/// <summary>libzstd's <c>ZSTD_inBuffer</c>: source pointer, size, and how much has been read.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct ZstdInBuffer
{
    public byte* Source;
    public nuint Size;
    public nuint Position;
}
