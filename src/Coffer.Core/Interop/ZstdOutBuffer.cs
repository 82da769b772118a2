using System.Runtime.InteropServices;

namespace Coffer.Core.Interop;

/// <summary>libzstd's <c>ZSTD_outBuffer</c>: destination pointer, capacity, and how much has been written.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct ZstdOutBuffer
{
    public byte* Destination;
    public nuint Size;
    public nuint Position;
}
