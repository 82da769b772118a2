using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using Coffer.Core.Primitives;

namespace Coffer.Core.Crypto;

/// <summary>
/// A key file (<c>keys/&lt;id&gt;</c>): plain JSON holding scrypt parameters, a salt, and the master key sealed with
/// the key derived from one password. Immutable and thread-safe. <see cref="Parse"/> validates everything a
/// hostile file could abuse (kdf, scrypt costs, salt length) before any derivation runs.
/// </summary>
public sealed class KeyFile
{
    /// <summary>Length restic requires of the salt.</summary>
    public const int SaltSize = 64;

    /// <summary>The only key derivation function restic uses.</summary>
    public const string ScryptKdf = "scrypt";

    private const int DerivedKeySize = 64;

    private readonly byte[] _salt;
    private readonly byte[] _data;

    private KeyFile(string createdText, GoTime created, string username, string hostname, ScryptParameters parameters, byte[] salt, byte[] data)
    {
        CreatedText = createdText;
        Created = created;
        Username = username;
        Hostname = hostname;
        Parameters = parameters;
        _salt = salt;
        _data = data;
    }

    /// <summary>The <c>created</c> field exactly as stored (kept so that <see cref="ToJson"/> reproduces it).</summary>
    public string CreatedText { get; }

    /// <summary>The <c>created</c> field, parsed.</summary>
    public GoTime Created { get; }

    /// <summary>The user that created the key.</summary>
    public string Username { get; }

    /// <summary>The host the key was created on.</summary>
    public string Hostname { get; }

    /// <summary>Always <see cref="ScryptKdf"/> (anything else is refused by <see cref="Parse"/>).</summary>
    public string Kdf => ScryptKdf;

    /// <summary>The scrypt parameters (already validated).</summary>
    public ScryptParameters Parameters { get; }

    /// <summary>The 64-byte scrypt salt.</summary>
    public ReadOnlySpan<byte> Salt => _salt;

    /// <summary>The master-key document, sealed with the password's key.</summary>
    public ReadOnlySpan<byte> Data => _data;

    /// <summary>
    /// Parses a key file. Throws <see cref="InvalidDataException"/> naming the problem when the JSON is malformed, a
    /// required field is missing or mistyped, <c>kdf</c> is not "scrypt", the scrypt parameters are invalid or too
    /// costly (<see cref="ScryptParameters.Validate"/>), the salt is not 64 bytes, or <c>data</c> is too short to be a box.
    /// </summary>
    public static KeyFile Parse(ReadOnlySpan<byte> json)
    {
        string? created = null, username = null, hostname = null, kdf = null;
        long? n = null, r = null, p = null;
        byte[]? salt = null, data = null;
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new InvalidDataException("key file: not a JSON object");
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString()!;
                reader.Read();
                switch (name)
                {
                    case "created":
                        created = ReadString(ref reader, name);
                        break;
                    case "username":
                        username = ReadString(ref reader, name, nullable: true);
                        break;
                    case "hostname":
                        hostname = ReadString(ref reader, name, nullable: true);
                        break;
                    case "kdf":
                        kdf = ReadString(ref reader, name);
                        break;
                    case "N":
                        n = ReadInteger(ref reader, name);
                        break;
                    case "r":
                        r = ReadInteger(ref reader, name);
                        break;
                    case "p":
                        p = ReadInteger(ref reader, name);
                        break;
                    case "salt":
                        salt = ReadBase64(ref reader, name);
                        break;
                    case "data":
                        data = ReadBase64(ref reader, name);
                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }
            if (reader.TokenType != JsonTokenType.EndObject)
            {
                throw new InvalidDataException("key file: malformed JSON object");
            }
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"key file: invalid JSON: {e.Message}", e);
        }

        if (kdf is null)
        {
            throw new InvalidDataException("key file: field 'kdf' is missing");
        }
        if (kdf != ScryptKdf)
        {
            throw new InvalidDataException($"key file: unsupported kdf '{kdf}' (only \"scrypt\" is supported)");
        }
        if (n is null || r is null || p is null)
        {
            throw new InvalidDataException("key file: scrypt parameter 'N', 'r' or 'p' is missing");
        }
        var parameters = new ScryptParameters(n.Value, r.Value, p.Value);
        parameters.Validate();
        if (salt is null)
        {
            throw new InvalidDataException("key file: field 'salt' is missing");
        }
        if (salt.Length != SaltSize)
        {
            throw new InvalidDataException($"key file: salt has {salt.Length} bytes, expected {SaltSize}");
        }
        if (data is null)
        {
            throw new InvalidDataException("key file: field 'data' is missing");
        }
        if (data.Length < CryptoKey.Overhead)
        {
            throw new InvalidDataException($"key file: data has {data.Length} bytes, less than a sealed box's {CryptoKey.Overhead}");
        }
        if (created is null)
        {
            throw new InvalidDataException("key file: field 'created' is missing");
        }
        if (!GoTime.TryParse(created, out var createdTime))
        {
            throw new InvalidDataException($"key file: 'created' is not an RFC 3339 time: '{created}'");
        }
        return new KeyFile(created, createdTime, username ?? "", hostname ?? "", parameters, salt, data);
    }

    /// <summary>
    /// Creates a key file that wraps <paramref name="master"/> under <paramref name="passwordUtf8"/>, with a fresh
    /// random salt. Throws <see cref="InvalidDataException"/> if <paramref name="parameters"/> are invalid.
    /// </summary>
    public static KeyFile Create(
        CryptoKey master, ReadOnlySpan<byte> passwordUtf8, ScryptParameters parameters, string username, string hostname, GoTime created)
    {
        ArgumentNullException.ThrowIfNull(master);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(username);
        ArgumentNullException.ThrowIfNull(hostname);
        parameters.Validate();
        var salt = RandomNumberGenerator.GetBytes(SaltSize);
        var userKey = DeriveUserKey(passwordUtf8, salt, parameters);
        var plain = MasterKeyJson.Serialize(master);
        var data = userKey.Seal(plain);
        CryptographicOperations.ZeroMemory(plain);
        return new KeyFile(created.ToString(), created, username, hostname, parameters, salt, data);
    }

    /// <summary>
    /// Derives the password's key and opens the master key. Returns null when the MAC does not match (a wrong
    /// password for this key file). Throws <see cref="InvalidDataException"/> when the MAC matches but the sealed
    /// document is not a valid master key. Takes as long as one scrypt derivation.
    /// </summary>
    public CryptoKey? TryOpen(ReadOnlySpan<byte> passwordUtf8)
    {
        var userKey = DeriveUserKey(passwordUtf8, _salt, Parameters);
        var plain = new byte[_data.Length - CryptoKey.Overhead];
        if (!userKey.TryOpen(_data, plain))
        {
            return null;
        }
        try
        {
            return MasterKeyJson.Parse(plain);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    /// <summary>
    /// The key file as restic writes it: compact JSON, fields in the order created, username, hostname, kdf, N, r, p,
    /// salt, data; Go string escaping; no trailing newline.
    /// </summary>
    public byte[] ToJson()
    {
        var output = new ArrayBufferWriter<byte>(512);
        output.Write("{\"created\":"u8);
        GoJsonString.Write(output, CreatedText);
        output.Write(",\"username\":"u8);
        GoJsonString.Write(output, Username);
        output.Write(",\"hostname\":"u8);
        GoJsonString.Write(output, Hostname);
        output.Write(",\"kdf\":"u8);
        GoJsonString.Write(output, Kdf);
        output.Write(",\"N\":"u8);
        WriteInteger(output, Parameters.N);
        output.Write(",\"r\":"u8);
        WriteInteger(output, Parameters.R);
        output.Write(",\"p\":"u8);
        WriteInteger(output, Parameters.P);
        output.Write(",\"salt\":\""u8);
        WriteBase64(output, _salt);
        output.Write("\",\"data\":\""u8);
        WriteBase64(output, _data);
        output.Write("\"}"u8);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>The user key for <paramref name="passwordUtf8"/>: scrypt to 64 bytes, split as restic does.</summary>
    internal static CryptoKey DeriveUserKey(ReadOnlySpan<byte> passwordUtf8, ReadOnlySpan<byte> salt, ScryptParameters parameters)
    {
        Span<byte> dk = stackalloc byte[DerivedKeySize];
        try
        {
            Scrypt.Derive(passwordUtf8, salt, parameters, dk);
            return CryptoKey.FromDerivedKey(dk);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dk);
        }
    }

    private static string? ReadString(ref Utf8JsonReader reader, string name, bool nullable = false)
    {
        if (reader.TokenType == JsonTokenType.Null && nullable)
        {
            return null;
        }
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new InvalidDataException($"key file: field '{name}' must be a string, found {reader.TokenType}");
        }
        return reader.GetString();
    }

    private static long ReadInteger(ref Utf8JsonReader reader, string name)
    {
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var value))
        {
            throw new InvalidDataException($"key file: field '{name}' must be an integer in 64 bits");
        }
        return value;
    }

    private static byte[] ReadBase64(ref Utf8JsonReader reader, string name)
    {
        if (reader.TokenType != JsonTokenType.String || !reader.TryGetBytesFromBase64(out var value))
        {
            throw new InvalidDataException($"key file: field '{name}' must be a base64 string");
        }
        return value;
    }

    private static void WriteInteger(ArrayBufferWriter<byte> output, long value)
    {
        var span = output.GetSpan(20);
        Utf8Formatter.TryFormat(value, span, out var written);
        output.Advance(written);
    }

    private static void WriteBase64(ArrayBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
    {
        var span = output.GetSpan(Base64.GetMaxEncodedToUtf8Length(bytes.Length));
        Base64.EncodeToUtf8(bytes, span, out _, out var written);
        output.Advance(written);
    }
}
