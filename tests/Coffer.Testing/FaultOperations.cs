namespace Coffer.Testing;

/// <summary>Which operations a <see cref="FaultyBackend"/> fault applies to.</summary>
[Flags]
public enum FaultOperations
{
    /// <summary>None.</summary>
    None = 0,
    /// <summary>SaveAsync.</summary>
    Save = 1,
    /// <summary>ReadAtAsync.</summary>
    Read = 2,
    /// <summary>GetSizeAsync and ExistsAsync.</summary>
    Stat = 4,
    /// <summary>ListAsync (fails when the listing starts).</summary>
    List = 8,
    /// <summary>DeleteAsync.</summary>
    Delete = 16,
    /// <summary>CreateAsync.</summary>
    Create = 32,
    /// <summary>Every operation.</summary>
    All = Save | Read | Stat | List | Delete | Create,
}
