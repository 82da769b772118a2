using System.Security.Cryptography;
using Coffer.Core.Crypto;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Parameters;
using Xunit;

namespace Coffer.Core.Tests.Crypto;

public sealed class AesCtrTests
{
    public static TheoryData<string> CarryIvs => new()
    {
        "000102030405060708090a0bfffffffe",
        "0001020304050607ffffffffffffffff",
        "00010203040506fffffffffffffffff0",
        "ffffffffffffffffffffffffffffffff",
        "fffffffffffffffffffffffffffffff0",
        "00000000000000000000000000000001",
    };

    [Fact]
    public void MatchesBouncyCastleSic_ForManyLengths()
    {
        var random = new Random(42);
        var key = new byte[32];
        var iv = new byte[16];
        using var aes = Aes.Create();
        foreach (var length in Enumerable.Range(0, 1001).Concat([16 * 1024 - 1, 16 * 1024, 16 * 1024 + 1, 65537, 200_000]))
        {
            random.NextBytes(key);
            random.NextBytes(iv);
            aes.Key = key;
            var input = new byte[length];
            random.NextBytes(input);
            var output = new byte[length];
            AesCtr.Transform(aes, iv, input, output);
            Assert.Equal(BouncyCtr(key, iv, input), output);
        }
    }

    [Theory]
    [MemberData(nameof(CarryIvs))]
    public void CounterCarriesThroughAllSixteenBytes(string ivHex)
    {
        var iv = Hex.Bytes(ivHex);
        var key = RandomNumberGenerator.GetBytes(32);
        using var aes = Aes.Create();
        aes.Key = key;
        // Long enough that the carry happens inside a batch and across batch boundaries.
        var input = RandomNumberGenerator.GetBytes(70_000);
        var output = new byte[input.Length];
        AesCtr.Transform(aes, iv, input, output);
        Assert.Equal(BouncyCtr(key, iv, input), output);
    }

    [Fact]
    public void InPlace_GivesSameResult()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var iv = RandomNumberGenerator.GetBytes(16);
        using var aes = Aes.Create();
        aes.Key = key;
        var input = RandomNumberGenerator.GetBytes(40_000);
        var expected = BouncyCtr(key, iv, input);
        AesCtr.Transform(aes, iv, input, input);
        Assert.Equal(expected, input);
    }

    [Fact]
    public void Xor_AllLengths()
    {
        var random = new Random(7);
        for (var length = 0; length < 300; length++)
        {
            var a = new byte[length];
            var b = new byte[length];
            random.NextBytes(a);
            random.NextBytes(b);
            var d = new byte[length];
            AesCtr.Xor(a, b, d);
            for (var i = 0; i < length; i++)
            {
                Assert.Equal((byte)(a[i] ^ b[i]), d[i]);
            }
        }
    }

    internal static byte[] BouncyCtr(byte[] key, byte[] iv, byte[] input)
    {
        var cipher = new SicBlockCipher(new AesEngine());
        cipher.Init(true, new ParametersWithIV(new KeyParameter(key), iv));
        var padded = new byte[(input.Length + 15) / 16 * 16];
        input.CopyTo(padded, 0);
        var output = new byte[padded.Length];
        for (var i = 0; i < padded.Length; i += 16)
        {
            cipher.ProcessBlock(padded, i, output, i);
        }
        return output.AsSpan(0, input.Length).ToArray();
    }
}
