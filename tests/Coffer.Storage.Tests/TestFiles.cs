using System.Security.Cryptography;

namespace Coffer.Storage.Tests;

/// <summary>Random files named by their SHA-256, as the repository names them.</summary>
internal static class TestFiles
{
    public static (FileHandle Handle, byte[] Data) New(FileType type, int size)
    {
        var data = RandomNumberGenerator.GetBytes(size);
        return (new FileHandle(type, Convert.ToHexStringLower(SHA256.HashData(data))), data);
    }
}
