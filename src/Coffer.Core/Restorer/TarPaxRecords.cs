using System.Globalization;
using System.Text;

namespace Coffer.Core.Restorer;

/// <summary>
/// The records of one PAX extended header (<c>"LEN key=value\n"</c>, LEN counting the whole record). Values are
/// raw bytes; when one of them is not valid UTF-8 the header starts with <c>hdrcharset=BINARY</c>, which tells
/// readers (GNU tar, libarchive) to take the bytes as they are.
/// </summary>
internal sealed class TarPaxRecords
{
    private readonly List<(string Key, byte[] Value)> _records = [];

    public bool IsEmpty => _records.Count == 0;

    public void Add(string key, byte[] value) => _records.Add((key, value));

    public void Add(string key, string value) => _records.Add((key, Encoding.UTF8.GetBytes(value)));

    /// <summary>The encoded records.</summary>
    public byte[] Encode()
    {
        var output = new MemoryStream();
        if (_records.Exists(r => !System.Text.Unicode.Utf8.IsValid(r.Value)))
        {
            Write(output, "hdrcharset", "BINARY"u8);
        }
        foreach (var (key, value) in _records)
        {
            Write(output, key, value);
        }
        return output.ToArray();
    }

    private static void Write(Stream output, string key, ReadOnlySpan<byte> value)
    {
        var body = Encoding.UTF8.GetByteCount(key) + value.Length + 3; // ' ', '=', '\n'
        var length = body + Digits(body);
        if (Digits(length) != Digits(body))
        {
            length = body + Digits(length);
        }
        output.Write(Encoding.ASCII.GetBytes(length.ToString(CultureInfo.InvariantCulture) + " " + key + "="));
        output.Write(value);
        output.WriteByte((byte)'\n');
    }

    private static int Digits(int n) => n.ToString(CultureInfo.InvariantCulture).Length;
}
