using Microsoft.Win32.SafeHandles;

namespace Coffer.Core.Restorer;

/// <summary>
/// A counted reference on a directory handle from <see cref="TargetTree.Acquire"/>: the descriptor stays open
/// until the lease is disposed, even if the cache closes the handle meanwhile.
/// </summary>
internal readonly struct DirectoryLease : IDisposable
{
    private readonly bool _added;

    private DirectoryLease(SafeFileHandle handle, bool added)
    {
        Handle = handle;
        _added = added;
    }

    /// <summary>The directory handle.</summary>
    public SafeFileHandle Handle { get; }

    /// <summary>Takes a reference on <paramref name="handle"/> (call under the cache's lock).</summary>
    public static DirectoryLease Of(SafeFileHandle handle)
    {
        var added = false;
        handle.DangerousAddRef(ref added);
        return new DirectoryLease(handle, added);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_added)
        {
            Handle.DangerousRelease();
        }
    }
}
