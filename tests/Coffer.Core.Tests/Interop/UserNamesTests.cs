using Coffer.Core.Interop;

namespace Coffer.Core.Tests.Interop;

public sealed class UserNamesTests
{
    [Fact]
    public void RootIsRoot()
    {
        var names = new UserNames();
        Assert.Equal("root", names.UserName(0));
        Assert.Equal("root", names.GroupName(0));
        Assert.Equal("root", names.UserName(0)); // cached
    }

    [Fact]
    public void UnknownIdsGiveNull()
    {
        Assert.Null(UserNames.Shared.UserName(3_999_999_999));
        Assert.Null(UserNames.Shared.GroupName(3_999_999_999));
    }

    [Fact]
    public void ConcurrentLookupsAgree()
    {
        var names = new UserNames();
        var results = new string?[64];
        Parallel.For(0, results.Length, i => results[i] = names.UserName(0));
        Assert.All(results, r => Assert.Equal("root", r));
    }
}
