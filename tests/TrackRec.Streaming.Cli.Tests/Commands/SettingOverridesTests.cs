using TrackRec.Streaming.Cli.Commands;

namespace TrackRec.Streaming.Tests.Commands;

public sealed class SettingOverridesTests
{
    [Fact]
    public void Key_value_pairs_are_read_and_the_value_may_hold_equals_signs()
    {
        var (settings, problem) = SettingOverrides.Parse(["TrackRec:Kafka:GroupId=g1", "TrackRec:Kafka:Consumer:sasl.jaas.config=a=b"]);

        Assert.Null(problem);
        Assert.Equal("g1", settings["TrackRec:Kafka:GroupId"]);
        Assert.Equal("a=b", settings["TrackRec:Kafka:Consumer:sasl.jaas.config"]);
    }

    [Theory]
    [InlineData("TrackRec:Kafka:GroupId")]
    [InlineData("=value")]
    public void A_value_without_a_key_is_an_error_naming_it(string value)
    {
        var (_, problem) = SettingOverrides.Parse([value]);

        Assert.NotNull(problem);
        Assert.Contains(value, problem, StringComparison.Ordinal);
    }
}
