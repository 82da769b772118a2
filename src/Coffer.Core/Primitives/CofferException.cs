namespace Coffer.Core.Primitives;

/// <summary>
/// Base of the errors Coffer reports to a user: <see cref="Exception.Message"/> is one clear line,
/// <see cref="Hint"/> an optional second line saying what to do.
/// </summary>
public class CofferException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CofferException(string message, string? hint = null, Exception? inner = null)
        : base(message, inner)
    {
        Hint = hint;
    }

    /// <summary>What the user can do about it, or null.</summary>
    public string? Hint { get; }
}
