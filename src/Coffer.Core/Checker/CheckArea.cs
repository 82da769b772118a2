namespace Coffer.Core.Checker;

/// <summary>What a finding of <c>check</c> is about.</summary>
public enum CheckArea
{
    /// <summary>An index file (the subject is its id).</summary>
    Index,

    /// <summary>A pack file (the subject is its id).</summary>
    Pack,

    /// <summary>A blob stored in more than one pack, or not used by any snapshot (the subject is the blob id).</summary>
    Blob,

    /// <summary>A snapshot file (the subject is its id).</summary>
    Snapshot,

    /// <summary>A tree blob (the subject is its id; the details list every problem found in it).</summary>
    Tree,
}
