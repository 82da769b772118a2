namespace Coffer.Storage;

/// <summary>The kinds of file a repository holds; each maps to one folder (or, for config, one name).</summary>
public enum FileType
{
    /// <summary>The repository's <c>config</c> file (a single file; its name is ignored).</summary>
    Config,
    /// <summary><c>keys/</c>: plain JSON key files.</summary>
    Key,
    /// <summary><c>snapshots/</c>.</summary>
    Snapshot,
    /// <summary><c>index/</c>.</summary>
    Index,
    /// <summary><c>data/xx/</c>: pack files.</summary>
    Pack,
    /// <summary><c>locks/</c>.</summary>
    Lock,
}
