namespace Coffer.Core.Model;

/// <summary>
/// One extended attribute of a node (JSON <c>{"name":…,"value":base64}</c>). A null <paramref name="Value"/>
/// is written as JSON <c>null</c>, an empty one as <c>""</c>, as Go distinguishes nil and empty byte slices.
/// </summary>
/// <param name="Name">Attribute name, e.g. <c>user.comment</c>.</param>
/// <param name="Value">Raw attribute value; the array is not copied.</param>
public sealed record ExtendedAttribute(string Name, byte[]? Value);
