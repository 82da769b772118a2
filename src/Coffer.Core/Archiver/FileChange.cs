namespace Coffer.Core.Archiver;

/// <summary>How an item compares with the parent snapshot.</summary>
public enum FileChange
{
    New,
    Changed,
    Unmodified,
}
