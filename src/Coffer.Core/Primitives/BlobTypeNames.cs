namespace Coffer.Core.Primitives;

/// <summary>Text names of <see cref="BlobType"/> as they appear in index JSON and on the command line.</summary>
public static class BlobTypeNames
{
    /// <summary>"data" or "tree".</summary>
    public static string Name(this BlobType type) => type == BlobType.Tree ? "tree" : "data";

    /// <summary>Parses "data" or "tree".</summary>
    public static bool TryParse(string text, out BlobType type)
    {
        switch (text)
        {
            case "data":
                type = BlobType.Data;
                return true;
            case "tree":
                type = BlobType.Tree;
                return true;
            default:
                type = default;
                return false;
        }
    }
}
