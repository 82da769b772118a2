using System.Text;
using System.Text.Json.Nodes;
using Coffer.Core.Crypto;
using Coffer.Core.Primitives;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace Coffer.Core.Tests.Crypto;

public sealed class KeyFileTests
{
    private const string FixtureKeyId = "feb0e483714f520b656ac5e0d33933889abea667610352eb48b87f15cb22de48";

    private static readonly ScryptParameters Fast = new(1024, 8, 1);

    private static byte[] FixtureKeyBytes() => File.ReadAllBytes(Path.Combine(FixturePaths.Repo, "keys", FixtureKeyId));

    [Fact]
    public void FixtureKey_ParsesAndReproducesItsBytes()
    {
        var bytes = FixtureKeyBytes();
        var file = KeyFile.Parse(bytes);
        Assert.Equal("2026-11-22T13:11:49.523082103+05:30", file.CreatedText);
        Assert.Equal(523082103, file.Created.Nanoseconds);
        Assert.Equal(5 * 3600 + 1800, file.Created.OffsetSeconds);
        Assert.Equal("root", file.Username);
        Assert.Equal("fixture-host", file.Hostname);
        Assert.Equal("scrypt", file.Kdf);
        Assert.Equal(new ScryptParameters(32768, 8, 5), file.Parameters);
        Assert.Equal(64, file.Salt.Length);
        Assert.Equal(160, file.Data.Length);
        Assert.Equal(Encoding.UTF8.GetString(bytes), Encoding.UTF8.GetString(file.ToJson()));
        Assert.Equal(bytes, file.ToJson());
    }

    [Fact]
    public void FixtureKey_OpensWithThePassword_ToTheExpectedMasterKey()
    {
        var file = KeyFile.Parse(FixtureKeyBytes());
        var master = file.TryOpen(FixturePaths.Password);
        Assert.NotNull(master);

        var expected = JsonNode.Parse(File.ReadAllText(Path.Combine(FixturePaths.Expected, "masterkey.json")))!;
        Assert.Equal(expected["encrypt"]!.GetValue<string>(), Convert.ToBase64String(master.EncryptionKey));
        Assert.Equal(expected["mac"]!["k"]!.GetValue<string>(), Convert.ToBase64String(master.MacAesKey));
        Assert.Equal(expected["mac"]!["r"]!.GetValue<string>(), Convert.ToBase64String(master.MacPolyKey));

        // The sealed plaintext is restic's compact master-key JSON, byte for byte.
        var userKey = KeyFile.DeriveUserKey(FixturePaths.Password, file.Salt, file.Parameters);
        Assert.Equal(MasterKeyJson.Serialize(master), userKey.Open(file.Data));
    }

    [Fact]
    public void FixtureKey_ScryptOutput_MatchesTheFormatSheet_AndBouncyCastle()
    {
        var file = KeyFile.Parse(FixtureKeyBytes());
        const string expected =
            "3007e6e0bd437996c681c55a41fd2b618bec6810ae1b70d900f11ee82d4e6c61a283f9014565792a7404eb274c61111cbc111444a86a7e39df6defb599e975fb";
        Assert.Equal(expected, Hex.Of(Scrypt.Derive(FixturePaths.Password, file.Salt, file.Parameters, 64)));
        Assert.Equal(expected, Hex.Of(Org.BouncyCastle.Crypto.Generators.SCrypt.Generate(FixturePaths.Password, file.Salt.ToArray(), 32768, 8, 5, 64)));
    }

    [Fact]
    public void FixtureKey_WrongPassword_GivesNull()
    {
        var file = KeyFile.Parse(FixtureKeyBytes());
        Assert.Null(file.TryOpen("fixture-password\n"u8));
    }

    [Fact]
    public void Create_ThenOpen_RoundTrips()
    {
        var master = CryptoKey.NewRandom();
        var created = GoTime.Parse("2024-03-01T12:34:56.000000789+01:00");
        var file = KeyFile.Create(master, "secret"u8, Fast, "alice", "box", created);
        var opened = file.TryOpen("secret"u8);
        Assert.NotNull(opened);
        Assert.True(opened.EncryptionKey.SequenceEqual(master.EncryptionKey));
        Assert.True(opened.MacAesKey.SequenceEqual(master.MacAesKey));
        Assert.True(opened.MacPolyKey.SequenceEqual(master.MacPolyKey));
        Assert.Null(file.TryOpen("Secret"u8));
        Assert.Equal("2024-03-01T12:34:56.000000789+01:00", file.CreatedText);
        Assert.Equal(64, file.Salt.Length);
        Assert.Equal(128 + CryptoKey.Overhead, file.Data.Length);
    }

    [Fact]
    public void ParseOfToJson_RoundTrips_Property()
    {
        var master = CryptoKey.NewRandom();
        var file = KeyFile.Create(master, "pw"u8, Fast, "u", "h", GoTime.Parse("2024-03-01T12:34:56Z"));
        Prop.ForAll<string, string, long>((username, hostname, seconds) =>
        {
            username = Normalise(username ?? "");
            hostname = Normalise(hostname ?? "");
            var created = GoTime.FromUnix(Math.Abs(seconds % 4_000_000_000L), Math.Abs(seconds % 1_000_000_000L), TimeSpan.FromMinutes(seconds % 600));
            var json = Rebuild(file, username, hostname, created.ToString());
            var parsed = KeyFile.Parse(json);
            return parsed.ToJson().AsSpan().SequenceEqual(json)
                && parsed.Username == username
                && parsed.Hostname == hostname
                && parsed.Created.SameInstant(created)
                && parsed.Parameters == Fast;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void ToJson_EscapesStringsAsGo()
    {
        var master = CryptoKey.NewRandom();
        var file = KeyFile.Create(master, "pw"u8, Fast, "a\"b\\c\n\t<&>\u2028\u0001é", "h", GoTime.Parse("2024-03-01T12:34:56Z"));
        var text = Encoding.UTF8.GetString(file.ToJson());
        Assert.Contains("\"username\":\"a\\\"b\\\\c\\n\\t\\u003c\\u0026\\u003e\\u2028\\u0001é\"", text, StringComparison.Ordinal);
        Assert.StartsWith("{\"created\":\"2024-03-01T12:34:56Z\",\"username\":", text, StringComparison.Ordinal);
        Assert.Contains(",\"kdf\":\"scrypt\",\"N\":1024,\"r\":8,\"p\":1,\"salt\":\"", text, StringComparison.Ordinal);
        Assert.EndsWith("\"}", text, StringComparison.Ordinal);
        Assert.Equal(file.Username, KeyFile.Parse(file.ToJson()).Username);
    }

    public static TheoryData<string, string, string> Hostile => new()
    {
        { "kdf", "\"pbkdf2\"", "unsupported kdf" },
        { "N", "1000", "power of two" },
        { "N", "1", "power of two" },
        { "N", "0", "power of two" },
        { "N", "-32768", "power of two" },
        { "N", "1073741824", "32 bits" },
        { "N", "4194304", "32 bits" },
        { "N", "9223372036854775807", "power of two" },
        { "N", "1e6", "integer" },
        { "r", "0", "r must be" },
        { "r", "1048576", "32 bits" },
        { "p", "0", "p must be" },
        { "p", "1073741824", "2^30" },
        { "p", "100000", "work limit" },
        { "salt", "\"c2FsdA==\"", "salt has 4 bytes" },
        { "salt", "\"!!notbase64\"", "base64" },
        { "data", "\"AAAA\"", "data has 3 bytes" },
        { "created", "\"yesterday\"", "RFC 3339" },
        { "N", "\"32768\"", "integer" },
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public void HostileFields_AreRefusedWithAClearMessage(string field, string value, string message)
    {
        var node = JsonNode.Parse(FixtureKeyBytes())!.AsObject();
        node[field] = JsonNode.Parse(value);
        var e = Assert.Throws<InvalidDataException>(() => KeyFile.Parse(Encoding.UTF8.GetBytes(node.ToJsonString())));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("kdf")]
    [InlineData("N")]
    [InlineData("salt")]
    [InlineData("data")]
    [InlineData("created")]
    public void MissingFields_AreRefused(string field)
    {
        var node = JsonNode.Parse(FixtureKeyBytes())!.AsObject();
        node.Remove(field);
        var e = Assert.Throws<InvalidDataException>(() => KeyFile.Parse(Encoding.UTF8.GetBytes(node.ToJsonString())));
        Assert.Contains(field, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("{")]
    [InlineData("{\"kdf\":")]
    [InlineData("not json")]
    public void Garbage_IsRefused(string json)
    {
        Assert.Throws<InvalidDataException>(() => KeyFile.Parse(Encoding.UTF8.GetBytes(json)));
    }

    [Fact]
    public void InvalidParameters_AreRefusedByCreate()
    {
        Assert.Throws<InvalidDataException>(() =>
            KeyFile.Create(CryptoKey.NewRandom(), "pw"u8, new ScryptParameters(1000, 8, 1), "u", "h", default));
    }

    [Fact]
    public void MemoryLimit_IsEnforced()
    {
        Assert.False(new ScryptParameters(1 << 22, 3, 1).TryValidate(out var error));
        Assert.Contains("byte limit", error, StringComparison.Ordinal);
        Assert.True(new ScryptParameters(1 << 20, 8, 1).TryValidate(out _));
    }

    [Fact]
    public void DefaultParameters_AreValid_AndRestics()
    {
        ScryptParameters.Default.Validate();
        Assert.Equal(32768, ScryptParameters.Default.N);
        Assert.Equal(8, ScryptParameters.Default.R);
        Assert.Equal(32L << 20, ScryptParameters.Default.MemoryBytes);
    }

    [Fact]
    public void MasterKeyJson_RoundTrips_AndRefusesBadDocuments()
    {
        var key = CryptoKey.NewRandom();
        var json = MasterKeyJson.Serialize(key);
        var back = MasterKeyJson.Parse(json);
        Assert.True(back.EncryptionKey.SequenceEqual(key.EncryptionKey));
        Assert.Equal(json, MasterKeyJson.Serialize(back));
        Assert.StartsWith("{\"mac\":{\"k\":\"", Encoding.UTF8.GetString(json), StringComparison.Ordinal);

        Assert.Throws<InvalidDataException>(() => MasterKeyJson.Parse("{\"mac\":{\"k\":\"AAAAAAAAAAAAAAAAAAAAAA==\",\"r\":\"AQAAAAAAAAAAAAAAAAAAAA==\"},\"encrypt\":\"AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\"}"u8));
        Assert.Throws<InvalidDataException>(() => MasterKeyJson.Parse("{\"mac\":{\"k\":\"AQ==\"}}"u8));
        Assert.Throws<InvalidDataException>(() => MasterKeyJson.Parse("nonsense"u8));
    }

    private static string Normalise(string s)
    {
        // Unpaired surrogates cannot survive UTF-8; Go writes them as U+FFFD.
        var sb = new StringBuilder();
        foreach (var rune in s.EnumerateRunes())
        {
            sb.Append(rune.ToString());
        }
        return sb.ToString();
    }

    private static byte[] Rebuild(KeyFile template, string username, string hostname, string created)
    {
        var node = JsonNode.Parse(template.ToJson())!.AsObject();
        node["username"] = username;
        node["hostname"] = hostname;
        node["created"] = created;
        // Re-encode through KeyFile so the bytes are in Go's form.
        var parsed = KeyFile.Parse(Encoding.UTF8.GetBytes(node.ToJsonString()));
        return parsed.ToJson();
    }
}
