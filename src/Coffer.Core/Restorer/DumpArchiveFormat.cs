namespace Coffer.Core.Restorer;

/// <summary>The archive formats a directory can be dumped as.</summary>
public enum DumpArchiveFormat
{
    /// <summary>POSIX tar (ustar headers, PAX extended headers where ustar cannot hold a value).</summary>
    Tar,

    /// <summary>Zip (deflated files, Zip64 where sizes or offsets need it, Unix modes).</summary>
    Zip,
}
