namespace Coffer.Storage;

/// <summary>The named file does not exist. Never transient.</summary>
public sealed class BackendNotFoundException : BackendException
{
    /// <summary>Creates the exception for a missing file.</summary>
    public BackendNotFoundException(FileHandle handle, Exception? inner = null)
        : base($"{handle} does not exist", false, inner)
    {
        Handle = handle;
    }

    /// <summary>The missing file.</summary>
    public FileHandle Handle { get; }
}
