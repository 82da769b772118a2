using System.Runtime.InteropServices;

namespace Coffer.Core.Interop;

/// <summary>Owns a native <c>ZSTD_DCtx</c>. Not thread-safe: one user at a time.</summary>
internal sealed class ZstdDecompressionContext : SafeHandle
{
    /// <summary>Used by the marshaller.</summary>
    public ZstdDecompressionContext()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    /// <inheritdoc />
    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <summary>Creates a context; throws <see cref="OutOfMemoryException"/> if libzstd cannot.</summary>
    public static ZstdDecompressionContext Create()
    {
        var context = LibZstd.CreateDCtx();
        if (context.IsInvalid)
        {
            context.Dispose();
            throw new OutOfMemoryException("ZSTD_createDCtx failed");
        }
        return context;
    }

    /// <inheritdoc />
    protected override bool ReleaseHandle()
    {
        LibZstd.FreeDCtx(handle);
        return true;
    }
}
