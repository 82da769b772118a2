using System.Security.Cryptography;
using System.Text;
using Coffer.Core.Crypto;
using FsCheck;
using FsCheck.Fluent;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Parameters;
using Xunit;

namespace Coffer.Core.Tests.Crypto;

public sealed class CryptoKeyTests
{
    private const string ConfigPlaintext =
        "{\"version\":2,\"id\":\"4ef7d97b6a938223e71e446813a2921993cc9a7f3059868d0253ea1f23f02f8d\",\"chunker_polynomial\":\"31c81e17642089\"}";

    internal static CryptoKey FixtureMasterKey() => CryptoKey.FromParts(
        Hex.Bytes("3d2cd3a9192f9ca71941d09952bb1b1c502494f12a16a7121828cfe094846d05"),
        Hex.Bytes("c7dfa31466ea4de59b3b87a0480a5fae"),
        Hex.Bytes("f371160810dedc0174aa2807c8b27b02"));

    [Fact]
    public void FixtureConfig_OpensToTheKnownPlaintext()
    {
        var box = File.ReadAllBytes(Path.Combine(FixturePaths.Repo, "config"));
        Assert.Equal(155, box.Length);
        var plaintext = new byte[box.Length - CryptoKey.Overhead];
        Assert.True(FixtureMasterKey().TryOpen(box, plaintext));
        Assert.Equal(ConfigPlaintext, Encoding.UTF8.GetString(plaintext));
    }

    [Fact]
    public void FixtureConfig_IntermediateValuesMatchTheFormatSheet()
    {
        var box = File.ReadAllBytes(Path.Combine(FixturePaths.Repo, "config"));
        var iv = box[..16];
        Assert.Equal("c90cea3e6105d24fc336378f800a609c", Hex.Of(iv));
        using var k = Aes.Create();
        k.Key = Hex.Bytes("c7dfa31466ea4de59b3b87a0480a5fae");
        Assert.Equal("88b6a26e89b07edaf436874445c3339a", Hex.Of(k.EncryptEcb(iv, PaddingMode.None)));
        using var e = Aes.Create();
        e.Key = Hex.Bytes("3d2cd3a9192f9ca71941d09952bb1b1c502494f12a16a7121828cfe094846d05");
        Assert.Equal("35f8d2ccaac77ff4130f81e0e7fd4cfe", Hex.Of(e.EncryptEcb(iv, PaddingMode.None)));
        Assert.Equal("4edaa4a9d8b4169b7d2dbbd2cbdf259a", Hex.Of(box.AsSpan(16, 16)));
        Assert.Equal("ef4066b896f397c55b55a37bea4625c9", Hex.Of(box.AsSpan(box.Length - 16)));

        var polyKey = Hex.Bytes("f371160810dedc0174aa2807c8b27b02" + "88b6a26e89b07edaf436874445c3339a");
        var tag = new byte[16];
        Poly1305.ComputeTag(polyKey, box.AsSpan(16, box.Length - 32), tag);
        Assert.Equal("ef4066b896f397c55b55a37bea4625c9", Hex.Of(tag));
    }

    [Fact]
    public void FixtureConfig_MacAgreesWithBouncyCastlePoly1305Aes()
    {
        var box = File.ReadAllBytes(Path.Combine(FixturePaths.Repo, "config"));
        var mac = new Org.BouncyCastle.Crypto.Macs.Poly1305(new AesEngine());
        // BouncyCastle's Poly1305-AES key is r || k, with the nonce as IV.
        var key = Hex.Bytes("f371160810dedc0174aa2807c8b27b02" + "c7dfa31466ea4de59b3b87a0480a5fae");
        mac.Init(new ParametersWithIV(new KeyParameter(key), box, 0, 16));
        mac.BlockUpdate(box, 16, box.Length - 32);
        var tag = new byte[16];
        mac.DoFinal(tag, 0);
        Assert.Equal(Hex.Of(box.AsSpan(box.Length - 16)), Hex.Of(tag));
    }

    [Fact]
    public void FixtureConfig_WrongKeyIsRefused()
    {
        var box = File.ReadAllBytes(Path.Combine(FixturePaths.Repo, "config"));
        var plaintext = new byte[box.Length - CryptoKey.Overhead];
        Assert.False(CryptoKey.NewRandom().TryOpen(box, plaintext));
        Assert.Throws<InvalidDataException>(() => CryptoKey.NewRandom().Open(box));
    }

    [Fact]
    public void Seal_ThenOpen_RoundTrips_Property()
    {
        var key = CryptoKey.NewRandom();
        Prop.ForAll<byte[]>(plaintext =>
        {
            var box = key.Seal(plaintext);
            var opened = new byte[plaintext.Length];
            return box.Length == plaintext.Length + CryptoKey.Overhead
                && key.TryOpen(box, opened)
                && opened.AsSpan().SequenceEqual(plaintext)
                && key.Verify(box);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Seal_MatchesBouncyCastleCtrAndMac()
    {
        var key = CryptoKey.NewRandom();
        var plaintext = RandomNumberGenerator.GetBytes(5000);
        var box = key.Seal(plaintext);
        var iv = box[..16];
        Assert.Equal(
            AesCtrTests.BouncyCtr(key.EncryptionKey.ToArray(), iv, plaintext),
            box.AsSpan(16, plaintext.Length).ToArray());

        var mac = new Org.BouncyCastle.Crypto.Macs.Poly1305(new AesEngine());
        mac.Init(new ParametersWithIV(new KeyParameter([.. key.MacPolyKey, .. key.MacAesKey]), iv));
        mac.BlockUpdate(box, 16, plaintext.Length);
        var tag = new byte[16];
        mac.DoFinal(tag, 0);
        Assert.Equal(box[^16..], tag);
    }

    [Fact]
    public void FlippingAnyByte_IsDetected_Property()
    {
        var key = CryptoKey.NewRandom();
        Prop.ForAll<byte[], int, byte>((plaintext, position, flip) =>
        {
            var box = key.Seal(plaintext);
            var index = (int)((uint)position % (uint)box.Length);
            box[index] ^= (byte)(flip == 0 ? 1 : flip);
            return !key.TryOpen(box, new byte[plaintext.Length]) && !key.Verify(box);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void FlippingEachByte_OfASmallBox_IsDetected()
    {
        var key = CryptoKey.NewRandom();
        var box = key.Seal("hello, world"u8);
        for (var i = 0; i < box.Length; i++)
        {
            for (var bit = 0; bit < 8; bit++)
            {
                box[i] ^= (byte)(1 << bit);
                Assert.False(key.TryOpen(box, new byte[box.Length - CryptoKey.Overhead]));
                box[i] ^= (byte)(1 << bit);
            }
        }
        Assert.True(key.TryOpen(box, new byte[box.Length - CryptoKey.Overhead]));
    }

    [Fact]
    public void TruncatedBoxes_AreRefused()
    {
        var key = CryptoKey.NewRandom();
        var box = key.Seal(RandomNumberGenerator.GetBytes(40));
        for (var length = 0; length < CryptoKey.Overhead; length++)
        {
            Assert.False(key.TryOpen(box.AsSpan(0, length), []));
            Assert.False(key.Verify(box.AsSpan(0, length)));
        }
        for (var length = CryptoKey.Overhead; length < box.Length; length++)
        {
            Assert.False(key.TryOpen(box.AsSpan(0, length), new byte[length - CryptoKey.Overhead]));
        }
    }

    [Fact]
    public void EmptyPlaintext_RoundTrips()
    {
        var key = CryptoKey.NewRandom();
        var box = key.Seal([]);
        Assert.Equal(CryptoKey.Overhead, box.Length);
        Assert.True(key.TryOpen(box, []));
    }

    [Fact]
    public void InPlaceSealAndOpen()
    {
        var key = CryptoKey.NewRandom();
        var plaintext = RandomNumberGenerator.GetBytes(1000);
        var buffer = new byte[plaintext.Length + CryptoKey.Overhead];
        plaintext.CopyTo(buffer, 16);
        key.Seal(buffer.AsSpan(16, plaintext.Length), buffer);
        Assert.Equal(plaintext, key.Open(buffer));
        Assert.True(key.TryOpen(buffer, buffer.AsSpan(16, plaintext.Length)));
        Assert.Equal(plaintext, buffer.AsSpan(16, plaintext.Length).ToArray());
    }

    [Fact]
    public void WrongDestinationLength_Throws()
    {
        var key = CryptoKey.NewRandom();
        Assert.Throws<ArgumentException>(() => key.Seal(new byte[10], new byte[41]));
        var box = key.Seal(new byte[10]);
        Assert.Throws<ArgumentException>(() => key.TryOpen(box, new byte[11]));
    }

    [Fact]
    public void NewRandom_IsValid_Clamped_AndDistinct()
    {
        var a = CryptoKey.NewRandom();
        var b = CryptoKey.NewRandom();
        Assert.True(a.IsValid);
        Assert.False(a.EncryptionKey.SequenceEqual(b.EncryptionKey));
        var r = a.MacPolyKey.ToArray();
        var clamped = r.ToArray();
        CryptoKey.Clamp(clamped);
        Assert.Equal(clamped, r);
    }

    [Fact]
    public void Ivs_AreFreshAndNonZero()
    {
        var key = CryptoKey.NewRandom();
        var ivs = new HashSet<string>();
        for (var i = 0; i < 1000; i++)
        {
            var iv = key.Seal([1, 2, 3])[..16];
            Assert.Contains(iv, b => b != 0);
            Assert.True(ivs.Add(Hex.Of(iv)));
        }
    }

    [Fact]
    public void ConcurrentSealAndOpen_WithOneKey()
    {
        var key = CryptoKey.NewRandom();
        Parallel.For(0, 2000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var plaintext = new byte[i % 3000];
            Random.Shared.NextBytes(plaintext);
            var box = key.Seal(plaintext);
            var opened = new byte[plaintext.Length];
            Assert.True(key.TryOpen(box, opened));
            Assert.Equal(plaintext, opened);
        });
    }

    [Fact]
    public void FromDerivedKey_Splits_E_K_R()
    {
        var dk = Enumerable.Range(0, 64).Select(i => (byte)i).ToArray();
        var key = CryptoKey.FromDerivedKey(dk);
        Assert.Equal(dk[..32], key.EncryptionKey.ToArray());
        Assert.Equal(dk[32..48], key.MacAesKey.ToArray());
        Assert.Equal(dk[48..], key.MacPolyKey.ToArray());
        Assert.Throws<ArgumentException>(() => CryptoKey.FromDerivedKey(new byte[63]));
    }

    [Theory]
    [InlineData("000102030405060708090a0bfffffffe")]
    [InlineData("0001020304050607fffffffffffffff0")]
    [InlineData("ffffffffffffffffffffffffffffffff")]
    public void DecryptPart_GivesTheSameBytesAsDecryptingTheWhole(string ivHex)
    {
        // Counter mode from any offset: unaligned starts and ends, one byte, whole blocks, and a counter that
        // carries from the low into the high 64 bits inside the ciphertext; in place and into other memory.
        var key = CryptoKey.NewRandom();
        var iv = Hex.Bytes(ivHex);
        var ciphertext = RandomNumberGenerator.GetBytes(1000);
        var plaintext = AesCtrTests.BouncyCtr(key.EncryptionKey.ToArray(), iv, ciphertext);
        foreach (var (offset, length) in new[] { (0, 1000), (0, 1), (1, 15), (15, 1), (15, 2), (16, 16), (17, 40), (31, 1), (500, 500), (999, 1), (1000, 0), (3, 997) })
        {
            var part = new byte[length];
            key.DecryptPart(iv, offset, ciphertext.AsSpan(offset, length), part);
            Assert.Equal(plaintext.AsSpan(offset, length).ToArray(), part);
            var inPlace = ciphertext.AsSpan(offset, length).ToArray();
            key.DecryptPart(iv, offset, inPlace, inPlace);
            Assert.Equal(part, inPlace);
        }
        Assert.Throws<ArgumentException>(() => key.DecryptPart(iv, 0, new byte[10], new byte[11]));
        Assert.Throws<ArgumentOutOfRangeException>(() => key.DecryptPart(iv, -1, new byte[1], new byte[1]));
    }

    [Fact]
    public void DecryptPartAndAPieceByPieceMac_OpenASealedBox()
    {
        var key = CryptoKey.NewRandom();
        var plaintext = RandomNumberGenerator.GetBytes(70_000);
        var box = key.Seal(plaintext);
        var iv = box.AsSpan(0, CryptoKey.IvSize).ToArray();
        var ciphertext = box.AsSpan(CryptoKey.IvSize, plaintext.Length).ToArray();
        var part = new byte[40_000];
        key.DecryptPart(iv, 12_345, ciphertext.AsSpan(12_345, 40_000), part);
        Assert.Equal(plaintext.AsSpan(12_345, 40_000).ToArray(), part);

        var mac = key.StartMac(iv);
        mac.Append(ciphertext.AsSpan(0, 16_000));
        mac.Append(ciphertext.AsSpan(16_000, 48_000));
        var tag = new byte[CryptoKey.MacSize];
        mac.Finish(ciphertext.AsSpan(64_000), tag);
        Assert.Equal(box.AsSpan(box.Length - CryptoKey.MacSize).ToArray(), tag);
        Assert.Throws<ArgumentException>(() => key.StartMac(iv).Append(new byte[17]));
    }
}
