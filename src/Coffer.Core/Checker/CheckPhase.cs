namespace Coffer.Core.Checker;

/// <summary>The steps of <c>check</c>, in the order they run.</summary>
public enum CheckPhase
{
    /// <summary>Every index file is loaded.</summary>
    LoadIndexes,

    /// <summary>Pack files are listed and compared with the index: existence, sizes, headers.</summary>
    Packs,

    /// <summary>Snapshots are loaded and their trees walked; every referenced blob must be indexed.</summary>
    Structure,

    /// <summary>The selected packs are read whole and every blob in them is verified.</summary>
    ReadData,
}
