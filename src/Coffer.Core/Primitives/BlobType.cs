namespace Coffer.Core.Primitives;

/// <summary>The two kinds of blob: file content and directory listings. Values match the pack header's low bit.</summary>
public enum BlobType : byte
{
    /// <summary>A chunk of a file's bytes.</summary>
    Data = 0,
    /// <summary>The JSON listing of one directory.</summary>
    Tree = 1,
}
