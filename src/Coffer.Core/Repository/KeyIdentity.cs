namespace Coffer.Core.Repository;

/// <summary>Who creates a key or lock: user and host names recorded in the file.</summary>
public sealed record KeyIdentity(string Username, string Hostname)
{
    /// <summary>The current OS user and host.</summary>
    public static KeyIdentity Current => new(Environment.UserName, Environment.MachineName);
}
