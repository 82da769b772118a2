namespace Coffer.Core.Restorer;

/// <summary>
/// Writes entries of one archive to a stream, in the order given. <paramref name="content"/>-style callbacks
/// write a regular file's bytes to the stream they are given and return how many they wrote.
/// </summary>
internal interface IDumpArchiveWriter
{
    /// <summary>
    /// Adds one entry. For a regular file that is not a hard link, <paramref name="content"/> writes its data;
    /// it must write exactly the node's size or the call fails.
    /// </summary>
    Task AddAsync(DumpArchiveEntry entry, Func<Stream, CancellationToken, Task<long>>? content, CancellationToken cancellationToken);

    /// <summary>Writes what ends the archive (trailer blocks, central directory). Call once, last.</summary>
    Task FinishAsync(CancellationToken cancellationToken);
}
