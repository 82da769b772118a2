using System.Runtime.InteropServices;

namespace Coffer.Core.Interop;

/// <summary>Owns a native <c>ZSTD_CCtx</c>. Not thread-safe: one user at a time.</summary>
internal sealed class ZstdCompressionContext : SafeHandle
{
    /// <summary>Used by the marshaller.</summary>
    public ZstdCompressionContext()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    /// <inheritdoc />
    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <summary>Creates a context; throws <see cref="OutOfMemoryException"/> if libzstd cannot.</summary>
    public static ZstdCompressionContext Create()
    {
        var context = LibZstd.CreateCCtx();
        if (context.IsInvalid)
        {
            context.Dispose();
            throw new OutOfMemoryException("ZSTD_createCCtx failed");
        }
        return context;
    }

    /// <inheritdoc />
    protected override bool ReleaseHandle()
    {
        LibZstd.FreeCCtx(handle);
        return true;
    }
}
