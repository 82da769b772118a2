namespace Coffer.Core.Maintenance;

/// <summary>The steps of an index rebuild, in order, as reported to <see cref="IIndexRebuildReport.Phase"/>.</summary>
public enum IndexRebuildPhase
{
    /// <summary>Loading the existing index files (skipped with <see cref="IndexRebuildOptions.ReadAllPacks"/>).</summary>
    LoadingIndexes,
    /// <summary>Listing the packs and deciding which headers must be read.</summary>
    GettingPacks,
    /// <summary>Reading pack headers (only when some must be read).</summary>
    ReadingPacks,
    /// <summary>Writing the new index files.</summary>
    Rebuilding,
    /// <summary>Deleting the old index files.</summary>
    DeletingObsolete,
    /// <summary>Finished.</summary>
    Done,
}
