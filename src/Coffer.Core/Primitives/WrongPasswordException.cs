namespace Coffer.Core.Primitives;

/// <summary>No key file of the repository opens with the given password.</summary>
public sealed class WrongPasswordException : CofferException
{
    /// <summary>Creates the exception.</summary>
    public WrongPasswordException(string message = "wrong password or no key found")
        : base(message, "check --password-file, --password-command or COFFER_PASSWORD / RESTIC_PASSWORD")
    {
    }
}
