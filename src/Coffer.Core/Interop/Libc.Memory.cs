using System.Runtime.InteropServices;

namespace Coffer.Core.Interop;

/// <summary>Anonymous memory mappings, for buffers whose pages must go back to the system when freed.</summary>
internal static unsafe partial class Libc
{
    /// <summary><c>PROT_READ | PROT_WRITE</c>.</summary>
    internal const int ProtReadWrite = 0x1 | 0x2;
    /// <summary><c>MAP_PRIVATE | MAP_ANONYMOUS</c>.</summary>
    internal const int MapPrivateAnonymous = 0x02 | 0x20;

    /// <summary><c>MADV_HUGEPAGE</c>: back the range with transparent huge pages where possible.</summary>
    internal const int MadvHugePage = 14;

    [LibraryImport(Library, EntryPoint = "mmap", SetLastError = true)]
    internal static partial void* MMap(void* address, nuint length, int protection, int flags, int fd, long offset);

    [LibraryImport(Library, EntryPoint = "munmap", SetLastError = true)]
    internal static partial int MUnmap(void* address, nuint length);

    [LibraryImport(Library, EntryPoint = "madvise", SetLastError = true)]
    internal static partial int MAdvise(void* address, nuint length, int advice);
}
