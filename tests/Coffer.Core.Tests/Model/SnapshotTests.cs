using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Coffer.Core.Model;
using Coffer.Core.Primitives;
using Xunit;

namespace Coffer.Core.Tests.Model;

public sealed partial class SnapshotTests
{
    [GeneratedRegex(",\"id\":\"[0-9a-f]{64}\",\"short_id\":\"[0-9a-f]{8}\"")]
    private static partial Regex IdMembers();

    /// <summary>(snapshot id, compact plaintext) for every snapshot in the fixture's snapshots.json files.</summary>
    public static TheoryData<string, string> FixtureSnapshots()
    {
        var data = new TheoryData<string, string>();
        foreach (var dir in ModelFixture.ExpectedDirectories)
        {
            var list = File.ReadAllText(Path.Combine(dir, "snapshots.json"));
            using var doc = JsonDocument.Parse(list);
            foreach (var element in doc.RootElement.EnumerateArray())
            {
                var raw = element.GetRawText();
                var compact = IdMembers().Replace(raw, "");
                Assert.NotEqual(raw, compact);
                data.Add(element.GetProperty("id").GetString()!, compact);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(FixtureSnapshots))]
    public void Fixture_snapshots_reencode_byte_identically(string id, string compact)
    {
        var dir = ModelFixture.ExpectedDirectories.First(d => File.Exists(Path.Combine(d, "snapshots", id + ".json")));
        var indented = File.ReadAllBytes(Path.Combine(dir, "snapshots", id + ".json"));

        Assert.Equal(compact, Encoding.UTF8.GetString(Snapshot.Parse(indented).Encode()));
        Assert.Equal(compact, Encoding.UTF8.GetString(Snapshot.Parse(Encoding.UTF8.GetBytes(compact)).Encode()));
    }

    [Fact]
    public void Fixture_snapshot_two_matches_the_format_sheet()
    {
        const string text = "{\"time\":\"2022-08-02T10:00:00+05:30\",\"parent\":\"f22ea5f6bf0c92d72ce263e836490b7d98b62eca48657e1177dc37212aac6552\",\"tree\":\"c1a2ec3336f7715f80ac2106c7acef161d42db7b98b0de091114d17f60d718d7\",\"paths\":[\"/srv/fixture/src\"],\"hostname\":\"fixture-host\",\"username\":\"root\"}";
        var s = Snapshot.Parse(Encoding.UTF8.GetBytes(text));
        Assert.Equal(SnapshotId.Parse("f22ea5f6bf0c92d72ce263e836490b7d98b62eca48657e1177dc37212aac6552"), s.Parent);
        Assert.Equal(BlobId.Parse("c1a2ec3336f7715f80ac2106c7acef161d42db7b98b0de091114d17f60d718d7"), s.Tree);
        Assert.Equal(["/srv/fixture/src"], s.Paths);
        Assert.Equal("fixture-host", s.Hostname);
        Assert.Equal(GoTime.Parse("2022-08-02T10:00:00+05:30"), s.Time);
        Assert.Null(s.Id);
        Assert.Equal(text, Encoding.UTF8.GetString(s.Encode()));
    }

    [Fact]
    public void Every_field_is_written_in_order_and_unknown_fields_survive()
    {
        var summary = "\"summary\":{\"backup_start\":\"2024-01-01T00:00:00.5Z\",\"backup_end\":\"2024-01-01T00:01:00Z\",\"files_new\":1,\"files_changed\":2,\"files_unmodified\":3,\"dirs_new\":4,\"dirs_changed\":5,\"dirs_unmodified\":6,\"data_blobs\":7,\"tree_blobs\":8,\"data_added\":9,\"data_added_packed\":10,\"total_files_processed\":11,\"total_bytes_processed\":18446744073709551615,\"future_count\":12}";
        var text =
            "{\"time\":\"2024-01-01T00:00:00.123456789-07:00\",\"parent\":\"" + new string('a', 64) + "\",\"tree\":\"" + new string('b', 64) +
            "\",\"paths\":[\"/a\",\"/b\\u003cc\\u003e\"],\"hostname\":\"h\",\"username\":\"u\",\"uid\":1000,\"gid\":1001,\"excludes\":[\"*.tmp\"],\"tags\":[\"x\",\"y\"]," +
            "\"original\":\"" + new string('c', 64) + "\",\"program_version\":\"restic 0.18.0\"," + summary +
            ",\"zeta\":{\"nested\":[1,2,{\"k\":\"\\u003c\"}]},\"alpha\":null}";
        var s = Snapshot.Parse(Encoding.UTF8.GetBytes(text));
        Assert.Equal(1000u, s.Uid);
        Assert.Equal(["x", "y"], s.Tags);
        Assert.Equal("restic 0.18.0", s.ProgramVersion);
        Assert.Equal(ulong.MaxValue, s.Summary!.TotalBytesProcessed);
        Assert.Equal(["zeta", "alpha"], s.ExtraFields.Select(f => f.Key));
        Assert.Equal(text, Encoding.UTF8.GetString(s.Encode()));

        var spaced = text.Replace(",\"", " ,\n \"", StringComparison.Ordinal).Replace("{\"", "{ \"", StringComparison.Ordinal).Replace("[1,2,", "[ 1 , 2,\t", StringComparison.Ordinal);
        Assert.Equal(text, Encoding.UTF8.GetString(Snapshot.Parse(Encoding.UTF8.GetBytes(spaced)).Encode()));
    }

    [Fact]
    public void Empty_optional_fields_are_omitted()
    {
        var s = new Snapshot { Time = GoTime.Parse("2022-08-01T10:00:00+05:30"), Tree = new BlobId(Id.Hash([])), ProgramVersion = "" };
        Assert.Equal(
            "{\"time\":\"2022-08-01T10:00:00+05:30\",\"tree\":\"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\",\"paths\":[]}",
            Encoding.UTF8.GetString(s.Encode()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("{\"tree\":null}")]
    [InlineData("{\"tree\":\"abc\"}")]
    [InlineData("{\"uid\":4294967296}")]
    [InlineData("{\"paths\":\"/a\"}")]
    [InlineData("{\"time\":\"2022-13-01T00:00:00Z\"}")]
    [InlineData("{} x")]
    public void Bad_json_is_refused_with_InvalidDataException(string text)
    {
        Assert.Throws<InvalidDataException>(() => Snapshot.Parse(Encoding.UTF8.GetBytes(text)));
    }
}
