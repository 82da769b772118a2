namespace Coffer.Core.Archiver;

/// <summary>A stream backed up as one file named <see cref="FileName"/> in the snapshot's root.</summary>
public sealed record StdinSource(Stream Stream, string FileName);
