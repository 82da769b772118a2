namespace Coffer.Core.Restorer;

/// <summary>What happened to one item of the target (restic 0.17's verbose <c>action</c>).</summary>
public enum RestoreAction
{
    /// <summary>Created from the snapshot (<c>restored</c>).</summary>
    Restored,

    /// <summary>Existed and was changed to match the snapshot (<c>updated</c>).</summary>
    Updated,

    /// <summary>Existed and already matched, or was left alone by the overwrite mode (<c>unchanged</c>).</summary>
    Unchanged,

    /// <summary>Removed by <c>--delete</c> (<c>deleted</c>).</summary>
    Deleted,
}
