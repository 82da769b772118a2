using System.Runtime.InteropServices;

namespace Coffer.Core.Interop;

/// <summary>
/// The <c>libzstd.so.1</c> entry points Coffer uses: one-shot compression and decompression with
/// reusable contexts, and the streaming decoder for frames without a content size or several frames.
/// </summary>
internal static unsafe partial class LibZstd
{
    private const string Library = "libzstd.so.1";

    /// <summary><c>ZSTD_CONTENTSIZE_UNKNOWN</c>: the frame header does not state the decompressed size.</summary>
    internal const ulong ContentSizeUnknown = ulong.MaxValue;

    /// <summary><c>ZSTD_CONTENTSIZE_ERROR</c>: not a valid frame header (or too short).</summary>
    internal const ulong ContentSizeError = ulong.MaxValue - 1;

    /// <summary><c>ZSTD_reset_session_only</c> for <see cref="DCtxReset"/>.</summary>
    internal const int ResetSessionOnly = 1;

    [LibraryImport(Library, EntryPoint = "ZSTD_compressBound")]
    internal static partial nuint CompressBound(nuint sourceSize);

    [LibraryImport(Library, EntryPoint = "ZSTD_createCCtx")]
    internal static partial ZstdCompressionContext CreateCCtx();

    [LibraryImport(Library, EntryPoint = "ZSTD_freeCCtx")]
    internal static partial nuint FreeCCtx(IntPtr context);

    [LibraryImport(Library, EntryPoint = "ZSTD_compressCCtx")]
    internal static partial nuint CompressCCtx(
        ZstdCompressionContext context, byte* destination, nuint destinationCapacity, byte* source, nuint sourceSize, int level);

    [LibraryImport(Library, EntryPoint = "ZSTD_createDCtx")]
    internal static partial ZstdDecompressionContext CreateDCtx();

    [LibraryImport(Library, EntryPoint = "ZSTD_freeDCtx")]
    internal static partial nuint FreeDCtx(IntPtr context);

    [LibraryImport(Library, EntryPoint = "ZSTD_DCtx_reset")]
    internal static partial nuint DCtxReset(ZstdDecompressionContext context, int directive);

    [LibraryImport(Library, EntryPoint = "ZSTD_decompressDCtx")]
    internal static partial nuint DecompressDCtx(
        ZstdDecompressionContext context, byte* destination, nuint destinationCapacity, byte* source, nuint sourceSize);

    [LibraryImport(Library, EntryPoint = "ZSTD_decompressStream")]
    internal static partial nuint DecompressStream(ZstdDecompressionContext context, ZstdOutBuffer* output, ZstdInBuffer* input);

    [LibraryImport(Library, EntryPoint = "ZSTD_getFrameContentSize")]
    internal static partial ulong GetFrameContentSize(byte* source, nuint sourceSize);

    [LibraryImport(Library, EntryPoint = "ZSTD_findFrameCompressedSize")]
    internal static partial nuint FindFrameCompressedSize(byte* source, nuint sourceSize);

    [LibraryImport(Library, EntryPoint = "ZSTD_isError")]
    internal static partial uint IsError(nuint code);

    [LibraryImport(Library, EntryPoint = "ZSTD_getErrorName")]
    internal static partial byte* GetErrorName(nuint code);

    /// <summary>True when <paramref name="code"/> is one of libzstd's error codes.</summary>
    internal static bool Failed(nuint code) => IsError(code) != 0;

    /// <summary>The text libzstd gives for an error code.</summary>
    internal static string ErrorName(nuint code) => Marshal.PtrToStringUTF8((IntPtr)GetErrorName(code)) ?? "unknown zstd error";
}
