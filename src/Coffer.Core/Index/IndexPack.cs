using Coffer.Core.Packing;
using Coffer.Core.Primitives;

namespace Coffer.Core.Index;

/// <summary>One pack's entry in an index file: its id and blobs (in the order the file lists them).</summary>
public sealed record IndexPack(PackId Id, List<PackedBlob> Blobs);
