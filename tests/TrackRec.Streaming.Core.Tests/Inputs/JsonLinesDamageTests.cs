using CsCheck;
using Xunit;
using TrackRec.Streaming.Inputs;

namespace TrackRec.Streaming.Tests.Inputs;

/// <summary>
/// Every class of damage a JSON-lines file can carry is reported with its line number, and nothing else is
/// skipped. Property-based: a failure prints the seed that reproduces it (CsCheck's Sample).
/// </summary>
public sealed class JsonLinesDamageTests
{
    [Fact]
    public void Each_damaged_line_is_reported_with_its_number_and_every_valid_line_is_read()
    {
        DamagedLine.File.Sample(lines =>
        {
            using var input = new MemoryStream([.. lines.SelectMany(l => l.Bytes.Append((byte)'\n'))]);

            var stream = JsonLinesEventReader.Read(input);

            var damaged = lines.Select((l, i) => (l, Number: i + 1)).Where(x => !x.l.IsValid).Select(x => x.Number).ToList();
            Assert.Equal(damaged, stream.Problems.Select(p => p.LineNumber));
            Assert.Equal(lines.Count(l => l.IsValid), stream.Items.Count + stream.Events.Count);
            Assert.All(stream.Problems, p => Assert.False(string.IsNullOrWhiteSpace(p.Message)));
        }, iter: 300);
    }

    [Fact]
    public void Every_damage_class_is_refused_on_its_own()
    {
        DamagedLine.Damaged.Sample(line =>
        {
            var stream = JsonLinesEventReader.Read(new MemoryStream(line.Bytes));

            var problem = Assert.Single(stream.Problems);
            Assert.Equal(1, problem.LineNumber);
            Assert.Empty(stream.Events);
            Assert.Empty(stream.Items);
        }, iter: 2000);
    }

    [Theory]
    [InlineData("{\"type\":\"click\",\"event_id\":\"e\",\"user_id\":\"u\",\"item_id\":\"i\",\"ts\":\"9999-12-31T00:00:00Z\"}", "outside the accepted range")]
    [InlineData("{\"type\":\"click\",\"event_id\":\"e\",\"user_id\":\"u\",\"item_id\":\"i\",\"ts\":\"1969-07-20T20:17:00Z\"}", "outside the accepted range")]
    [InlineData("{\"type\":\"impression\",\"event_id\":\"e\",\"user_id\":\"u\",\"item_id\":\"i\",\"impression_id\":\"p\",\"ts\":1,\"position\":-3}", "position must not be negative")]
    [InlineData("{\"type\":\"purchase\"}", "unknown type 'purchase'")]
    [InlineData("{\"type\":\"click\",\"event_id\":\"e\",\"user_id\":7,\"item_id\":\"i\",\"ts\":1}", "user_id must be a string")]
    [InlineData("{\"type\":\"click\",\"event_id\":\"e\",\"item_id\":\"i\",\"ts\":1}", "user_id is missing")]
    [InlineData("{\"type\":\"click\",\"event_id\":\"e\",\"user_id\":\"u\",\"item_id\":\"i\",\"ts\":\"2026-02-30\"}", "not an ISO-8601 time")]
    public void The_message_names_what_is_wrong(string line, string expected)
    {
        var problem = Assert.Single(JsonLinesEventReader.Read(new StringReader("\n" + line)).Problems);

        Assert.Equal(2, problem.LineNumber);
        Assert.Contains(expected, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_one_megabyte_id_and_invalid_utf8_are_reported_by_line()
    {
        byte[] file =
        [
            .. "{\"type\":\"click\",\"event_id\":\"e1\",\"user_id\":\"u\",\"item_id\":\"i\",\"ts\":1}\r\n"u8,
            .. System.Text.Encoding.UTF8.GetBytes($"{{\"type\":\"click\",\"event_id\":\"e\",\"user_id\":\"{new string('u', 1 << 20)}\",\"item_id\":\"i\",\"ts\":1}}\n"),
            .. "{\"type\":\"click\",\"event_id\":\"e"u8, 0xFF, .. "\",\"user_id\":\"u\",\"item_id\":\"i\",\"ts\":1}\n"u8,
            .. "{\"type\":\"click\",\"event_id\":\"e2\",\"user_id\":\"u\",\"item_id\":\"i\",\"ts\":2}"u8,
        ];

        var stream = JsonLinesEventReader.Read(new MemoryStream(file));

        Assert.Equal([2, 3], stream.Problems.Select(p => p.LineNumber));
        Assert.Contains("user_id has 1,048,576 characters", stream.Problems[0].Message, StringComparison.Ordinal);
        Assert.Contains("not valid UTF-8", stream.Problems[1].Message, StringComparison.Ordinal);
        Assert.Equal(["e1", "e2"], stream.Events.Select(e => e.EventId));
    }
}
