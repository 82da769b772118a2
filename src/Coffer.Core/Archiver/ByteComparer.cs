namespace Coffer.Core.Archiver;

/// <summary>Orders byte strings as Go compares strings (unsigned bytes, shorter prefix first).</summary>
internal sealed class ByteComparer : IComparer<byte[]>
{
    public static ByteComparer Instance { get; } = new();

    public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
}
