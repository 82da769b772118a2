using Coffer.Testing;
using Xunit;

namespace Coffer.Storage.Tests;

public sealed class ListsConsistentlyTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Wrappers_report_what_the_store_under_them_reports(bool consistent)
    {
        var store = new InMemoryBackend { ListsConsistently = consistent };
        IBackend[] wrappers = [new RetryBackend(store), new ReadOnlyBackend(store), new ConcurrencyLimitBackend(store, 2), new RetryBackend(new ConcurrencyLimitBackend(store, 2))];
        foreach (var wrapper in wrappers)
        {
            Assert.Equal(consistent, wrapper.ListsConsistently);
            await wrapper.DisposeAsync();
        }
    }

    [Fact]
    public void A_store_that_does_not_say_is_taken_for_lagging()
    {
        IBackend store = new FaultyBackend(new InMemoryBackend { ListsConsistently = true });
        Assert.False(store.ListsConsistently);
    }
}
