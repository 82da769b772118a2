namespace Coffer.Core.Checker;

/// <summary>How the packs to read are chosen.</summary>
public enum ReadDataSubsetKind
{
    /// <summary>Every pack.</summary>
    All,

    /// <summary>Group n of m: the packs whose first id byte modulo m is n − 1.</summary>
    Group,

    /// <summary>A random share of the packs (by count).</summary>
    Percentage,

    /// <summary>Random packs of about a given total size.</summary>
    Size,
}
