namespace Coffer.Core.Restorer;

/// <summary>What restore does with a file that already exists in the target (restic 0.17's <c>--overwrite</c>).</summary>
public enum OverwriteMode
{
    /// <summary>
    /// <c>always</c>: the existing content is checked blob by blob against the snapshot and only the parts that
    /// differ are written; metadata is always set.
    /// </summary>
    Always,

    /// <summary><c>if-changed</c>: like <see cref="Always"/>, but a file whose size and mtime match is taken as current.</summary>
    IfChanged,

    /// <summary><c>if-newer</c>: the file is restored only when the snapshot's mtime is newer than the existing file's.</summary>
    IfNewer,

    /// <summary><c>never</c>: existing files are left as they are.</summary>
    Never,
}
