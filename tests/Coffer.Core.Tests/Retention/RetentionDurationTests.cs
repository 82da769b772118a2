using Coffer.Core.Primitives;
using Coffer.Core.Retention;

namespace Coffer.Core.Tests.Retention;

/// <summary>restic's duration format and Go's AddDate arithmetic.</summary>
public sealed class RetentionDurationTests
{
    [Theory]
    [InlineData("1y2m3d4h", 1, 2, 3, 4, "1y2m3d4h")]
    [InlineData("4h3d", 0, 0, 3, 4, "3d4h")]
    [InlineData(" 2d ", 0, 0, 2, 0, "2d")]
    [InlineData("1d2d", 0, 0, 2, 0, "2d")]
    [InlineData("", 0, 0, 0, 0, "")]
    [InlineData("0y", 0, 0, 0, 0, "")]
    public void Parses(string text, int y, int m, int d, int h, string shown)
    {
        var value = RetentionDuration.Parse(text);
        Assert.Equal(new RetentionDuration(y, m, d, h), value);
        Assert.Equal(shown, value.ToString());
    }

    [Theory]
    [InlineData("5")]
    [InlineData("d")]
    [InlineData("3x")]
    [InlineData("1d 2h")]
    public void RejectsMalformed(string text) => Assert.Throws<FormatException>(() => RetentionDuration.Parse(text));

    [Theory]
    [InlineData("2022-03-31T12:00:00Z", "1m", "2022-03-03T12:00:00Z")]
    [InlineData("2024-03-31T12:00:00Z", "1m", "2024-03-02T12:00:00Z")]
    [InlineData("2024-02-29T00:30:00Z", "1y", "2023-03-01T00:30:00Z")]
    [InlineData("2022-01-01T01:00:00Z", "2h", "2021-12-31T23:00:00Z")]
    [InlineData("2022-01-15T00:00:00+02:00", "1m15d", "2021-11-30T00:00:00+02:00")]
    [InlineData("2022-05-10T06:00:00-07:00", "1y2m3d4h", "2021-03-07T02:00:00-07:00")]
    public void SubtractsLikeGo(string from, string duration, string expected) =>
        Assert.Equal(expected, RetentionDuration.Parse(duration).Before(GoTime.Parse(from)).ToString());
}
