using Coffer.Core.Model;

namespace Coffer.Core.Restorer;

/// <summary>
/// The parts of a node's metadata that most nodes lack, kept apart so that an <see cref="EntryMetadata"/> needs
/// only one (usually null) reference for them: extended attributes, a symlink's target, a device's number, and
/// the owner's names when they decide ownership. Immutable.
/// </summary>
internal sealed class MetadataExtras
{
    /// <summary>Extended attributes in listing order (empty when there are none).</summary>
    public IReadOnlyList<ExtendedAttribute> ExtendedAttributes { get; init; } = [];

    /// <summary>A symlink's target (empty for everything else).</summary>
    public byte[] LinkTarget { get; init; } = [];

    /// <summary>A device node's number (st_rdev, Linux encoding); 0 for everything else.</summary>
    public ulong Device { get; init; }

    /// <summary>True for a character device, false for a block device (and everything else).</summary>
    public bool CharDevice { get; init; }

    /// <summary>Owner user name, kept only when owners are set by name; empty otherwise.</summary>
    public string User { get; init; } = "";

    /// <summary>Owner group name, kept only when owners are set by name; empty otherwise.</summary>
    public string Group { get; init; } = "";
}
