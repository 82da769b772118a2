using Coffer.Core.Model;

namespace Coffer.Core.Restorer;

/// <summary>Node comparison as restic's <c>Node.Equals</c> does it (every recorded field; times as instants; xattrs as a set).</summary>
internal static class SnapshotDiffNodes
{
    /// <summary>True when the nodes are equal in every field; <paramref name="ignoreContent"/> leaves the content list out.</summary>
    public static bool Equal(Node a, Node b, bool ignoreContent) =>
        a.Name.AsSpan().SequenceEqual(b.Name)
        && a.Type == b.Type
        && a.UnknownTypeName == b.UnknownTypeName
        && a.Mode == b.Mode
        && a.ModTime.SameInstant(b.ModTime)
        && a.AccessTime.SameInstant(b.AccessTime)
        && a.ChangeTime.SameInstant(b.ChangeTime)
        && a.Uid == b.Uid
        && a.Gid == b.Gid
        && a.User == b.User
        && a.Group == b.Group
        && a.Inode == b.Inode
        && a.DeviceId == b.DeviceId
        && a.Size == b.Size
        && a.Links == b.Links
        && a.LinkTarget.AsSpan().SequenceEqual(b.LinkTarget)
        && a.Device == b.Device
        && (ignoreContent || SameContent(a, b))
        && SameAttributes(a, b)
        && SameGeneric(a, b)
        && a.Subtree == b.Subtree
        && (a.Error ?? "") == (b.Error ?? "");

    /// <summary>Content lists equal, a null list differing from an empty one (as Go's <c>reflect.DeepEqual</c>).</summary>
    public static bool SameContent(Node a, Node b) =>
        a.Content is null ? b.Content is null : b.Content is not null && a.Content.SequenceEqual(b.Content);

    private static bool SameAttributes(Node a, Node b)
    {
        if (a.ExtendedAttributes.Count != b.ExtendedAttributes.Count)
        {
            return false;
        }
        var values = new Dictionary<string, byte[]?>(StringComparer.Ordinal);
        foreach (var x in a.ExtendedAttributes)
        {
            values[x.Name] = x.Value;
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var x in b.ExtendedAttributes)
        {
            if (!values.TryGetValue(x.Name, out var v) || !(v ?? []).AsSpan().SequenceEqual(x.Value ?? []))
            {
                return false;
            }
            seen.Add(x.Name);
        }
        return seen.Count == values.Count;
    }

    private static bool SameGeneric(Node a, Node b) =>
        a.GenericAttributes.Count == b.GenericAttributes.Count
        && a.GenericAttributes.All(p => b.GenericAttributes.TryGetValue(p.Key, out var v) && v.AsSpan().SequenceEqual(p.Value));
}
