using System.Buffers;
using Coffer.Core.Model;

namespace Coffer.Cli.Rendering;

/// <summary>Builds one JSON value the way Go's <c>encoding/json</c> writes it (member order as written, Go string escaping).</summary>
internal static class JsonLine
{
    public static byte[] Build(Action<GoJsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        write(new GoJsonWriter(buffer));
        return buffer.WrittenSpan.ToArray();
    }
}
