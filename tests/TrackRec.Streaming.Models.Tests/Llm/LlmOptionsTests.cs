using Microsoft.Extensions.Options;
using TrackRec.Streaming.Chains;
using TrackRec.Streaming.Models.Llm;

namespace TrackRec.Streaming.Tests.Llm;

public sealed class LlmOptionsTests
{
    public static TheoryData<string, Action<LlmOptions>> BadSettings => new()
    {
        { "TrackRec:Models:Llm:Endpoint", o => o.Endpoint = "localhost:8000/v1" },
        { "TrackRec:Models:Llm:Endpoint", o => o.Endpoint = "ftp://host/v1" },
        { "TrackRec:Models:Llm:Endpoint", o => o.Endpoint = "" },
        { "TrackRec:Models:Llm:Model", o => o.Model = " " },
        { "TrackRec:Models:Llm:MaxConcurrency", o => o.MaxConcurrency = 0 },
        { "TrackRec:Models:Llm:MaxRetries", o => o.MaxRetries = -1 },
        { "TrackRec:Models:Llm:RequestTimeout", o => o.RequestTimeout = TimeSpan.Zero },
        { "TrackRec:Models:Llm:CircuitFailureRatio", o => o.CircuitFailureRatio = 0 },
        { "TrackRec:Models:Llm:CircuitMinimumThroughput", o => o.CircuitMinimumThroughput = 1 },
        { "TrackRec:Models:Llm:CircuitBreakDuration", o => o.CircuitBreakDuration = TimeSpan.FromMilliseconds(10) },
        { "TrackRec:Models:Llm:Temperature", o => o.Temperature = 3 },
        { "TrackRec:Models:Llm:MaxUserTextChars", o => o.MaxUserTextChars = 0 },
        { "TrackRec:Models:Llm:ValidatorTopLogprobs", o => o.ValidatorTopLogprobs = 21 },
        { "TrackRec:Models:Llm:ApiKey", o => o.ApiKey = "two words" },
        { "TrackRec:Models:Llm:MaxRetryDelay", o => o.MaxRetryDelay = TimeSpan.FromMilliseconds(1) },
        { "TrackRec:Models:Llm:TemplatesDirectory", o => o.TemplatesDirectory = "/no/such/prompt/dir" },
    };

    [Fact]
    public void The_defaults_with_an_endpoint_and_a_model_are_valid()
    {
        var options = new LlmOptions { Endpoint = "http://localhost:8000/v1", Model = "qwen2.5-7b-instruct" };

        Assert.Empty(LlmOptions.Validate(options));
        Assert.Equal(TimeSpan.FromSeconds(30), options.RequestTimeout);
        Assert.Equal(32, options.MaxConcurrency);
        Assert.Equal(2, options.MaxRetries);
        Assert.Equal(280, options.MaxUserTextChars);
    }

    [Theory]
    [MemberData(nameof(BadSettings))]
    public void A_bad_setting_is_named_by_its_configuration_key(string key, Action<LlmOptions> spoil)
    {
        var options = LlmTestData.Options("http://localhost:8000/v1");
        spoil(options);

        var problem = Assert.Single(LlmOptions.Validate(options));
        Assert.StartsWith(key, problem, StringComparison.Ordinal);
        var error = Assert.Throws<OptionsValidationException>(() => LlmBackend.Create(options, null, new ModelCallCounters()));
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Attribute_and_cross_field_problems_are_reported_together()
    {
        var options = LlmTestData.Options("not a url", o => o.MaxConcurrency = 0);

        var problems = LlmOptions.Validate(options);

        Assert.Contains(problems, p => p.StartsWith("TrackRec:Models:Llm:Endpoint", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("TrackRec:Models:Llm:MaxConcurrency", StringComparison.Ordinal));
    }
}
