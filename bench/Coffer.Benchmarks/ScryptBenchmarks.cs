using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Coffer.Core.Crypto;
using Coffer.Core.Interop;

namespace Coffer.Benchmarks;

/// <summary>
/// One key derivation with restic's cost (N = 32768, r = 8): the managed scrypt with lanes in parallel, the same
/// on one thread, and OpenSSL's <c>EVP_PBE_scrypt</c> (lanes one after another).
/// </summary>
[MemoryDiagnoser]
public class ScryptBenchmarks
{
    private const long N = 32768;
    private const long R = 8;
    private readonly byte[] _password = "bench"u8.ToArray();
    private readonly byte[] _salt = RandomNumberGenerator.GetBytes(64);
    private readonly byte[] _key = new byte[64];
    private ScryptParameters _parameters = null!;

    [Params(1, 8)]
    public int P { get; set; }

    [GlobalSetup]
    public void Setup() => _parameters = new ScryptParameters(N, R, P);

    [Benchmark]
    public void Managed() => Scrypt.Derive(_password, _salt, _parameters, _key);

    [Benchmark]
    public void ManagedOneThread() => Scrypt.Derive(_password, _salt, _parameters, _key, maxThreads: 1);

    [Benchmark(Baseline = true)]
    public void OpenSsl() => LibCrypto.Scrypt(_password, _salt, N, R, (ulong)P, _key);
}
