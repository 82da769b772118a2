using Coffer.Core.Model;

namespace Coffer.Core.Restorer;

/// <summary>
/// One entry handed to an archive writer: its name inside the archive (relative, slash-separated raw bytes,
/// no leading slash; a directory's name ends in <c>/</c>), the node it describes and, for the second and later
/// names of a hard-linked file, the archive name of the first one.
/// </summary>
internal sealed record DumpArchiveEntry(byte[] Name, Node Node, byte[]? HardLinkTarget);
