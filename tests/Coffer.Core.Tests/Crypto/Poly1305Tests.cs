using System.Text;
using Coffer.Core.Crypto;
using FsCheck;
using FsCheck.Fluent;
using Org.BouncyCastle.Crypto.Parameters;
using Xunit;

namespace Coffer.Core.Tests.Crypto;

public sealed class Poly1305Tests
{
    private const string IetfText =
        "Any submission to the IETF intended by the Contributor for publication as all or part of an IETF Internet-Draft or RFC "
        + "and any statement made within the context of an IETF activity is considered an \"IETF Contribution\". Such statements "
        + "include oral statements in IETF sessions, as well as written and electronic communications made at any time or place, "
        + "which are addressed to";

    private const string Jabberwocky =
        "'Twas brillig, and the slithy toves\nDid gyre and gimble in the wabe:\nAll mimsy were the borogoves,\nAnd the mome raths outgrabe.";

    [Fact]
    public void Rfc8439_Section_2_5_2()
    {
        var key = Hex.Bytes("85:d6:be:78:57:55:6d:33:7f:44:52:fe:42:d5:06:a8:01:03:80:8a:fb:0d:b2:fd:4a:bf:f6:af:41:49:f5:1b");
        Assert.Equal("a8061dc1305136c6c22b8baf0c0127a9", Tag(key, "Cryptographic Forum Research Group"u8.ToArray()));
    }

    public static TheoryData<string, string, string> AppendixA3 => new()
    {
        // #1
        { new string('0', 64), new string('0', 128), "00000000000000000000000000000000" },
        // #5
        { "02000000000000000000000000000000" + new string('0', 32), "ffffffffffffffffffffffffffffffff", "03000000000000000000000000000000" },
        // #6
        { "02000000000000000000000000000000" + "ffffffffffffffffffffffffffffffff", "02000000000000000000000000000000", "03000000000000000000000000000000" },
        // #7
        {
            "01000000000000000000000000000000" + new string('0', 32),
            "ffffffffffffffffffffffffffffffff" + "f0ffffffffffffffffffffffffffffff" + "11000000000000000000000000000000",
            "05000000000000000000000000000000"
        },
        // #8
        {
            "01000000000000000000000000000000" + new string('0', 32),
            "ffffffffffffffffffffffffffffffff" + "fbfefefefefefefefefefefefefefefe" + "01010101010101010101010101010101",
            "00000000000000000000000000000000"
        },
        // #9
        { "02000000000000000000000000000000" + new string('0', 32), "fdffffffffffffffffffffffffffffff", "faffffffffffffffffffffffffffffff" },
        // #10
        {
            "01000000000000000400000000000000" + new string('0', 32),
            "e33594d7505e43b90000000000000000" + "3394d7505e4379cd0100000000000000" + "00000000000000000000000000000000" + "01000000000000000000000000000000",
            "14000000000000005500000000000000"
        },
        // #11
        {
            "01000000000000000400000000000000" + new string('0', 32),
            "e33594d7505e43b90000000000000000" + "3394d7505e4379cd0100000000000000" + "00000000000000000000000000000000",
            "13000000000000000000000000000000"
        },
    };

    [Theory]
    [MemberData(nameof(AppendixA3))]
    public void Rfc8439_AppendixA3(string key, string message, string tag)
    {
        Assert.Equal(tag, Tag(Hex.Bytes(key), Hex.Bytes(message)));
    }

    [Fact]
    public void Rfc8439_AppendixA3_Vectors2To4()
    {
        var text = Encoding.ASCII.GetBytes(IetfText);
        Assert.Equal(375, text.Length);
        Assert.Equal("36e5f6b5c5e06070f0efca96227a863e", Tag(Hex.Bytes(new string('0', 32) + "36e5f6b5c5e06070f0efca96227a863e"), text));
        Assert.Equal("f3477e7cd95417af89a6b8794c310cf0", Tag(Hex.Bytes("36e5f6b5c5e06070f0efca96227a863e" + new string('0', 32)), text));
        Assert.Equal(
            "4541669a7eaaee61e708dc7cbcc5eb62",
            Tag(Hex.Bytes("1c9240a5eb55d38af333888604f6b5f0473917c1402b80099dca5cbc207075c0"), Encoding.ASCII.GetBytes(Jabberwocky)));
    }

    [Fact]
    public void MatchesBouncyCastle_ForManyLengths()
    {
        var random = new Random(1305);
        var key = new byte[32];
        foreach (var length in Enumerable.Range(0, 300).Concat([1000, 4095, 4096, 4097, 65536, 65537]))
        {
            random.NextBytes(key);
            var message = new byte[length];
            random.NextBytes(message);
            Assert.Equal(BouncyTag(key, message), Tag(key, message));
        }
    }

    [Fact]
    public void MatchesBouncyCastle_Property()
    {
        Prop.ForAll<byte[], byte[], byte[]>((r, s, message) =>
        {
            var key = new byte[32];
            r.AsSpan(0, Math.Min(16, r.Length)).CopyTo(key);
            s.AsSpan(0, Math.Min(16, s.Length)).CopyTo(key.AsSpan(16));
            return BouncyTag(key, message) == Tag(key, message);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void AllOnesAccumulator_IsReducedCorrectly()
    {
        // Worst case for the carries: all-ones key and message.
        var key = Enumerable.Repeat((byte)0xff, 32).ToArray();
        var message = Enumerable.Repeat((byte)0xff, 16 * 257 + 7).ToArray();
        Assert.Equal(BouncyTag(key, message), Tag(key, message));
    }

    [Fact]
    public void PieceByPiece_GivesTheTagOfTheWhole()
    {
        Prop.ForAll<byte[], byte[], int>((keySeed, message, cut) =>
        {
            var key = new byte[32];
            keySeed.AsSpan(0, Math.Min(32, keySeed.Length)).CopyTo(key);
            // Whole blocks appended in two pieces, then any rest.
            var blocks = message.Length & ~15;
            var split = blocks == 0 ? 0 : (Math.Abs(cut % ((blocks / 16) + 1)) * 16);
            var state = new Poly1305.State(key);
            state.Append(message.AsSpan(0, split));
            state.Append(message.AsSpan(split, blocks - split));
            var tag = new byte[16];
            state.Finish(message.AsSpan(blocks), tag);
            return Hex.Of(tag) == BouncyTag(key, message);
        }).QuickCheckThrowOnFailure();
    }

    private static string Tag(byte[] key, byte[] message)
    {
        var tag = new byte[16];
        Poly1305.ComputeTag(key, message, tag);
        return Hex.Of(tag);
    }

    private static string BouncyTag(byte[] key, byte[] message)
    {
        var mac = new Org.BouncyCastle.Crypto.Macs.Poly1305();
        mac.Init(new KeyParameter(key));
        mac.BlockUpdate(message, 0, message.Length);
        var tag = new byte[16];
        mac.DoFinal(tag, 0);
        return Hex.Of(tag);
    }
}
