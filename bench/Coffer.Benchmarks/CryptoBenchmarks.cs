using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Coffer.Core.Crypto;

namespace Coffer.Benchmarks;

/// <summary>Sealed-box primitives: whole Seal/Open, and AES-256-CTR, Poly1305 and SHA-256 on their own.</summary>
[MemoryDiagnoser]
public class CryptoBenchmarks
{
    private CryptoKey _key = null!;
    private Aes _aes = null!;
    private byte[] _plaintext = null!;
    private byte[] _box = null!;
    private byte[] _output = null!;
    private readonly byte[] _polyKey = RandomNumberGenerator.GetBytes(Poly1305.KeySize);
    private readonly byte[] _iv = RandomNumberGenerator.GetBytes(16);
    private readonly byte[] _tag = new byte[16];

    [Params(64 * 1024, 1024 * 1024)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _key = CryptoKey.NewRandom();
        _aes = Aes.Create();
        _aes.Key = RandomNumberGenerator.GetBytes(32);
        _plaintext = RandomNumberGenerator.GetBytes(Size);
        _box = _key.Seal(_plaintext);
        _output = new byte[Size + CryptoKey.Overhead];
    }

    [GlobalCleanup]
    public void Cleanup() => _aes.Dispose();

    [Benchmark]
    public void Seal() => _key.Seal(_plaintext, _output);

    [Benchmark]
    public bool Open() => _key.TryOpen(_box, _output.AsSpan(0, Size));

    [Benchmark]
    public void AesCtrOnly() => AesCtr.Transform(_aes, _iv, _plaintext, _output.AsSpan(0, Size));

    [Benchmark]
    public void Poly1305Only() => Poly1305.ComputeTag(_polyKey, _plaintext, _tag);

    [Benchmark]
    public int Sha256HashData() => SHA256.HashData(_plaintext, _output);
}
