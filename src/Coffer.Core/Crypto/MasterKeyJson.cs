using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;

namespace Coffer.Core.Crypto;

/// <summary>
/// The master-key document sealed inside a key file:
/// <c>{"mac":{"k":"&lt;b64&gt;","r":"&lt;b64&gt;"},"encrypt":"&lt;b64&gt;"}</c> (compact, in that order).
/// </summary>
internal static class MasterKeyJson
{
    /// <summary>Encodes <paramref name="key"/> as compact JSON, as restic writes it.</summary>
    public static byte[] Serialize(CryptoKey key)
    {
        var output = new ArrayBufferWriter<byte>(160);
        output.Write("{\"mac\":{\"k\":\""u8);
        WriteBase64(output, key.MacAesKey);
        output.Write("\",\"r\":\""u8);
        WriteBase64(output, key.MacPolyKey);
        output.Write("\"},\"encrypt\":\""u8);
        WriteBase64(output, key.EncryptionKey);
        output.Write("\"}"u8);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Decodes a master-key document. Throws <see cref="InvalidDataException"/> when it is not JSON, a field is
    /// missing or has the wrong length, or a part of the key is all zero.
    /// </summary>
    public static CryptoKey Parse(ReadOnlySpan<byte> json)
    {
        byte[]? k = null, r = null, encrypt = null;
        try
        {
            var reader = new Utf8JsonReader(json);
            Expect(ref reader, JsonTokenType.StartObject);
            while (Next(ref reader) == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("mac"u8))
                {
                    Expect(ref reader, JsonTokenType.StartObject);
                    while (Next(ref reader) == JsonTokenType.PropertyName)
                    {
                        if (reader.ValueTextEquals("k"u8))
                        {
                            Expect(ref reader, JsonTokenType.String);
                            k = reader.GetBytesFromBase64();
                        }
                        else if (reader.ValueTextEquals("r"u8))
                        {
                            Expect(ref reader, JsonTokenType.String);
                            r = reader.GetBytesFromBase64();
                        }
                        else
                        {
                            reader.Skip();
                        }
                    }
                }
                else if (reader.ValueTextEquals("encrypt"u8))
                {
                    Expect(ref reader, JsonTokenType.String);
                    encrypt = reader.GetBytesFromBase64();
                }
                else
                {
                    reader.Skip();
                }
            }
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            throw new InvalidDataException($"master key is not valid JSON: {e.Message}", e);
        }

        Check(k, CryptoKey.MacKeySize, "mac.k");
        Check(r, CryptoKey.MacKeySize, "mac.r");
        Check(encrypt, CryptoKey.EncryptionKeySize, "encrypt");
        return CryptoKey.FromParts(encrypt, k, r);
    }

    private static void Check([System.Diagnostics.CodeAnalysis.NotNull] byte[]? value, int length, string name)
    {
        if (value is null)
        {
            throw new InvalidDataException($"master key: field '{name}' is missing");
        }
        if (value.Length != length)
        {
            throw new InvalidDataException($"master key: field '{name}' has {value.Length} bytes, expected {length}");
        }
        if (!value.AsSpan().ContainsAnyExcept((byte)0))
        {
            throw new InvalidDataException($"master key: field '{name}' is all zero");
        }
    }

    private static JsonTokenType Next(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw new InvalidDataException("master key: unexpected end of JSON");
        }
        return reader.TokenType;
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type)
    {
        if (Next(ref reader) != type)
        {
            throw new InvalidDataException($"master key: expected {type}, found {reader.TokenType}");
        }
    }

    private static void WriteBase64(ArrayBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
    {
        var length = Base64.GetMaxEncodedToUtf8Length(bytes.Length);
        var span = output.GetSpan(length);
        Base64.EncodeToUtf8(bytes, span, out _, out var written);
        output.Advance(written);
    }
}
