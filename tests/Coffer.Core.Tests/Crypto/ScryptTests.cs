using System.Text;
using Coffer.Core.Crypto;
using Coffer.Core.Interop;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace Coffer.Core.Tests.Crypto;

/// <summary>The managed scrypt against RFC 7914 §12, OpenSSL's <c>EVP_PBE_scrypt</c>, and its own scalar path.</summary>
public sealed unsafe class ScryptTests
{
    public static TheoryData<string, string, long, long, long, string> Rfc7914Section12 => new()
    {
        {
            "", "", 16, 1, 1,
            "77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906"
        },
        {
            "password", "NaCl", 1024, 8, 16,
            "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640"
        },
        {
            "pleaseletmein", "SodiumChloride", 16384, 8, 1,
            "7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2d5432955613f0fcf62d49705242a9af9e61e85dc0d651e40dfcf017b45575887"
        },
        {
            // 128·r·N = 1 GiB, exactly ScryptParameters.MaxMemoryBytes.
            "pleaseletmein", "SodiumChloride", 1048576, 8, 1,
            "2101cb9b6a511aaeaddbbe09cf70f881ec568d574a2ffd4dabe5ee9820adaa478e56fd8f4ba5d09ffa1c6d927c40f4c337304049e8a952fbcbf45c6fa77a41a4"
        },
    };

    [Theory]
    [MemberData(nameof(Rfc7914Section12))]
    public void Rfc7914_Section12_Vectors(string password, string salt, long n, long r, long p, string expected)
    {
        var parameters = new ScryptParameters(n, r, p);
        Assert.Equal(expected, Hex.Of(Scrypt.Derive(Encoding.ASCII.GetBytes(password), Encoding.ASCII.GetBytes(salt), parameters, 64)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(10)]
    [InlineData(16)]
    public void LanesGiveTheSameKey_WhateverTheNumberOfThreads(int threads)
    {
        var key = new byte[64];
        Scrypt.Derive("password"u8, "NaCl"u8, new ScryptParameters(1024, 8, 16), key, threads);
        Assert.Equal(
            "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640",
            Hex.Of(key));
    }

    [Fact]
    public void ThreadsCountsThatMixPairsAndSingleLanes_GiveOpenSslsKey()
    {
        // p = 5 on 2 threads: two pairs and one single lane; on 4 threads: one pair and three single lanes.
        var salt = "SodiumChloride"u8;
        var expected = new byte[64];
        LibCrypto.Scrypt("pleaseletmein"u8, salt, 256, 2, 5, expected);
        foreach (var threads in new[] { 1, 2, 4, 5 })
        {
            var key = new byte[64];
            Scrypt.Derive("pleaseletmein"u8, salt, new ScryptParameters(256, 2, 5), key, threads);
            Assert.Equal(Hex.Of(expected), Hex.Of(key));
        }
    }

    [Fact]
    public void MatchesOpenSsl_OnRandomSmallParameters()
    {
        var cases =
            (from log2N in Gen.Choose(1, 10)
             from r in Gen.Choose(1, 9)
             from p in Gen.Choose(1, 5)
             from length in Gen.Choose(1, 200)
             from threads in Gen.Choose(1, 4)
             from password in ArbMap.Default.GeneratorFor<byte[]>()
             from salt in ArbMap.Default.GeneratorFor<byte[]>()
             select (N: 1L << log2N, R: (long)r, P: (long)p, Length: length, Threads: threads, Password: password, Salt: salt)).ToArbitrary();
        Prop.ForAll(cases, c =>
        {
            var managed = new byte[c.Length];
            Scrypt.Derive(c.Password, c.Salt, new ScryptParameters(c.N, c.R, c.P), managed, c.Threads);
            var openSsl = new byte[c.Length];
            LibCrypto.Scrypt(c.Password, c.Salt, (ulong)c.N, (ulong)c.R, (ulong)c.P, openSsl);
            return Hex.Of(managed) == Hex.Of(openSsl);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(200));
    }

    [Fact]
    public void MatchesOpenSsl_WithResticsParameters()
    {
        var salt = Convert.FromBase64String("w2jVsSHjomSZGIRxGDl8agRrrMjwVVGtGploJFo3+oNYfMVGcOmb3HPMA5o2TEk6mCq69vx4f8XjUy5R/6vCsg==");
        var openSsl = new byte[64];
        LibCrypto.Scrypt("bench"u8, salt, 32768, 8, 8, openSsl);
        Assert.Equal(Hex.Of(openSsl), Hex.Of(Scrypt.Derive("bench"u8, salt, new ScryptParameters(32768, 8, 8), 64)));
    }

    [Fact]
    public void VectorAndScalarSalsa_Agree()
    {
        var random = new Random(7914);
        var block = stackalloc uint[16];
        var copy = stackalloc uint[16];
        for (var round = 0; round < 1000; round++)
        {
            for (var k = 0; k < 16; k++)
            {
                block[k] = (uint)random.NextInt64(0, 1L << 32);
                copy[k] = block[k];
            }
            ScryptBlockMix.SalsaVector(block);
            ScryptBlockMix.SalsaScalar(copy);
            Assert.True(new ReadOnlySpan<uint>(block, 16).SequenceEqual(new ReadOnlySpan<uint>(copy, 16)));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(8)]
    public void VectorAndScalarBlockMix_Agree(int r)
    {
        var random = new Random(r);
        var words = 32 * r;
        var x = new uint[words];
        var v = new uint[words];
        var vector = new uint[words];
        var scalar = new uint[words];
        for (var i = 0; i < words; i++)
        {
            x[i] = (uint)random.NextInt64(0, 1L << 32);
            v[i] = (uint)random.NextInt64(0, 1L << 32);
        }
        fixed (uint* px = x)
        fixed (uint* pv = v)
        fixed (uint* pVector = vector)
        fixed (uint* pScalar = scalar)
        {
            ScryptBlockMix.MixVector(px, null, pVector, r);
            ScryptBlockMix.MixScalar(px, null, pScalar, r);
            Assert.Equal(scalar, vector);
            ScryptBlockMix.MixVector(px, pv, pVector, r);
            ScryptBlockMix.MixScalar(px, pv, pScalar, r);
            Assert.Equal(scalar, vector);

            // The pair kernel, with the lanes swapped in the second half, gives the same as two single calls.
            var second = new uint[words];
            fixed (uint* pSecond = second)
            {
                ScryptBlockMix.MixVectorPair(px, pv, pVector, pv, px, pSecond, r);
                Assert.Equal(scalar, vector);
                ScryptBlockMix.MixScalar(pv, px, pScalar, r);
                Assert.Equal(scalar, second);
                ScryptBlockMix.MixVectorPair(px, null, pVector, pv, null, pSecond, r);
                ScryptBlockMix.MixScalar(px, null, pScalar, r);
                Assert.Equal(scalar, vector);
                ScryptBlockMix.MixScalar(pv, null, pScalar, r);
                Assert.Equal(scalar, second);
            }
        }
    }

    [Fact]
    public void ImportAndExport_RoundTrip_AndKeepWordZeroFirst()
    {
        var bytes = new byte[128];
        new Random(5).NextBytes(bytes);
        var words = stackalloc uint[32];
        ScryptBlockMix.Import(bytes, words, 2);
        Assert.Equal(BitConverter.ToUInt32(bytes, 64), words[16]);
        var back = new byte[128];
        ScryptBlockMix.Export(words, back, 2);
        Assert.Equal(bytes, back);
    }

    [Theory]
    [InlineData(1000, 8, 1)]
    [InlineData(1L << 22, 3, 1)]
    [InlineData(1024, 0, 1)]
    [InlineData(1024, 8, 0)]
    public void InvalidParameters_AreRefusedBeforeAnyWork(long n, long r, long p)
    {
        Assert.Throws<InvalidDataException>(() => Scrypt.Derive("pw"u8, "salt"u8, new ScryptParameters(n, r, p), 64));
    }
}
