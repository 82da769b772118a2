using System.Text;
using Coffer.Core.Archiver.Filters;

namespace Coffer.Core.Tests.Filters;

/// <summary>An in-memory <see cref="ITagFileProbe"/>: files by path, plus paths whose access fails.</summary>
internal sealed class FakeTagProbe : ITagFileProbe
{
    public Dictionary<string, byte[]> Files { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Broken { get; } = new(StringComparer.Ordinal);

    public List<string> Lookups { get; } = [];

    public FakeTagProbe With(string path, string content)
    {
        Files[path] = Encoding.UTF8.GetBytes(content);
        return this;
    }

    public bool Exists(string path)
    {
        lock (Lookups)
        {
            Lookups.Add(path);
        }
        if (Broken.Contains(path))
        {
            throw new IOException("permission denied: " + path);
        }
        return Files.ContainsKey(path);
    }

    public int ReadStart(string path, Span<byte> buffer)
    {
        var content = Files[path];
        var n = Math.Min(content.Length, buffer.Length);
        content.AsSpan(0, n).CopyTo(buffer);
        return n;
    }
}
