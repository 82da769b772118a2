using System.Text;
using Coffer.Core.Primitives;
using Coffer.Core.Repository;

namespace Coffer.Core.Tests.Repository;

public sealed class RepositoryConfigTests
{
    [Fact]
    public void EncodesLikeRestic()
    {
        var json = "{\"version\":2,\"id\":\"4ef7d97b6a938223e71e446813a2921993cc9a7f3059868d0253ea1f23f02f8d\",\"chunker_polynomial\":\"31c81e17642089\"}";
        var config = RepositoryConfig.Parse(Encoding.UTF8.GetBytes(json));
        Assert.Equal(2, config.Version);
        Assert.Equal(json, Encoding.UTF8.GetString(config.Encode()));
    }

    [Theory]
    [InlineData("{\"version\":3,\"id\":\"ab\",\"chunker_polynomial\":\"31c81e17642089\"}", "unsupported repository version 3")]
    [InlineData("{\"version\":2,\"id\":\"ab\",\"chunker_polynomial\":\"31c81e17642088\"}", "not irreducible")]
    [InlineData("{\"version\":2,\"id\":\"ab\"}", "missing")]
    [InlineData("not json", "config")]
    public void RefusesBadConfigs(string json, string message)
    {
        var ex = Assert.ThrowsAny<CofferException>(() => RepositoryConfig.Parse(Encoding.UTF8.GetBytes(json)));
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NewConfigHasRandomIdAndValidPolynomial()
    {
        var a = RepositoryConfig.New(2);
        var b = RepositoryConfig.New(2);
        Assert.NotEqual(a.Id, b.Id);
        Assert.Equal(64, a.Id.Length);
        Assert.True(a.ChunkerPolynomial.IsIrreducible());
        Assert.Equal(a, RepositoryConfig.Parse(a.Encode()));
    }
}
