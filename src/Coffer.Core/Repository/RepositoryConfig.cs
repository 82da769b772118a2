using System.Buffers;
using System.Text.Json;
using Coffer.Core.Chunking;
using Coffer.Core.Primitives;

namespace Coffer.Core.Repository;

/// <summary>The repository's <c>config</c> file (restic format §3.5): format version, id and chunker polynomial.</summary>
public sealed record RepositoryConfig(int Version, string Id, Polynomial ChunkerPolynomial)
{
    /// <summary>The newest format version written.</summary>
    public const int LatestVersion = 2;

    /// <summary>A new config with a random id and polynomial (or the given one).</summary>
    public static RepositoryConfig New(int version, Polynomial? polynomial = null)
    {
        if (version is < 1 or > LatestVersion)
        {
            throw new CofferException($"unsupported repository version {version}", "use --repository-version 1 or 2");
        }
        var id = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        return new RepositoryConfig(version, Convert.ToHexStringLower(id), polynomial ?? Polynomial.NewRandom());
    }

    /// <summary>True when blobs and unpacked files may be compressed (version 2).</summary>
    public bool SupportsCompression => Version >= 2;

    /// <summary>Parses and validates the config JSON. Throws <see cref="RepositoryCorruptException"/> or a version error.</summary>
    public static RepositoryConfig Parse(ReadOnlySpan<byte> json)
    {
        int? version = null;
        string? id = null;
        string? polynomial = null;
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new RepositoryCorruptException("config", "not a JSON object");
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                reader.Read();
                switch (name)
                {
                    case "version":
                        version = reader.GetInt32();
                        break;
                    case "id":
                        id = reader.GetString();
                        break;
                    case "chunker_polynomial":
                        polynomial = reader.GetString();
                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }
        }
        catch (JsonException e)
        {
            throw new RepositoryCorruptException("config", $"invalid JSON: {e.Message}", inner: e);
        }
        catch (InvalidOperationException e)
        {
            throw new RepositoryCorruptException("config", $"invalid JSON: {e.Message}", inner: e);
        }
        if (version is null || string.IsNullOrEmpty(id) || polynomial is null)
        {
            throw new RepositoryCorruptException("config", "missing version, id or chunker_polynomial");
        }
        if (version is < 1 or > LatestVersion)
        {
            throw new CofferException($"unsupported repository version {version}", "this repository was written by a newer program; upgrade Coffer");
        }
        Polynomial poly;
        try
        {
            poly = Polynomial.Parse(polynomial);
        }
        catch (FormatException e)
        {
            throw new RepositoryCorruptException("config", e.Message, inner: e);
        }
        if (poly.Degree != Polynomial.RepositoryDegree || !poly.IsIrreducible())
        {
            throw new RepositoryCorruptException("config", $"chunker polynomial {polynomial} is not irreducible of degree 53");
        }
        return new RepositoryConfig(version.Value, id, poly);
    }

    /// <summary>Compact JSON, restic's field order, no trailing newline.</summary>
    public byte[] Encode()
    {
        var buffer = new ArrayBufferWriter<byte>(160);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("version", Version);
            w.WriteString("id", Id);
            w.WriteString("chunker_polynomial", ChunkerPolynomial.ToString());
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
