namespace Coffer.Storage;

/// <summary>A storage operation failed. <see cref="IsTransient"/> says whether retrying may help.</summary>
public class BackendException : Exception
{
    /// <summary>Creates the exception.</summary>
    public BackendException(string message, bool isTransient = false, Exception? inner = null)
        : base(message, inner)
    {
        IsTransient = isTransient;
    }

    /// <summary>True when the same call may succeed later (network, timeouts, throttling).</summary>
    public bool IsTransient { get; }
}
