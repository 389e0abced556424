using TrackRec.Streaming.Chains;
using TrackRec.Streaming.Models.Llm;

namespace TrackRec.Streaming.Tests.Llm;

public sealed class LlmChainValidatorTests
{
    private static readonly ChainDraft Chain = new("The user loves horror films with practical effects.", [], null);
    private static readonly CandidateItem Horror = new("m7", "Evil Dead", ["Horror"]);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task P_is_yes_over_yes_plus_no_from_the_first_token_logprobs()
    {
        await using var server = FakeOpenAiServer.Start(_ => ScriptedReply.FirstToken(("Yes", -0.2231), ("No", -1.6094), ("Maybe", -4.0)));
        var counters = new ModelCallCounters();
        using var backend = LlmTestData.Backend(server, counters);

        var scores = await backend.Validator.ScoreAsync(LlmTestData.Request(), Chain, [Horror], Ct);

        var p = Assert.Single(scores);
        Assert.Equal(Math.Exp(-0.2231) / (Math.Exp(-0.2231) + Math.Exp(-1.6094)), p, 12);
        Assert.Equal(0.8, p, 4);
        var request = Assert.Single(server.Requests);
        Assert.Equal(1, request.Body["max_tokens"]!.GetValue<int>());
        Assert.True(request.Body["logprobs"]!.GetValue<bool>());
        Assert.Equal(20, request.Body["top_logprobs"]!.GetValue<int>());
        Assert.Equal(0, request.Body["temperature"]!.GetValue<double>());
        Assert.Contains("<summary><<<user_text>>>The user loves horror films with practical effects.<<</user_text>>></summary>", request.User, StringComparison.Ordinal);
        Assert.Contains("<<<user_text>>>Evil Dead [Horror]<<</user_text>>>", request.User, StringComparison.Ordinal);
        Assert.Contains("Answer with only \"Yes\" or \"No\"", request.User, StringComparison.Ordinal);
        Assert.Equal(0, counters.MalformedAnswers);
    }

    [Fact]
    public async Task Yes_and_no_match_case_and_whitespace_insensitively_and_variants_add_up()
    {
        await using var server = FakeOpenAiServer.Start(_ => ScriptedReply.FirstToken((" yes", -1.0), ("NO ", -1.5), ("Yes", -2.0), ("ĠNo", -3.0)));
        using var backend = LlmTestData.Backend(server, new ModelCallCounters());

        var p = Assert.Single(await backend.Validator.ScoreAsync(LlmTestData.Request(), Chain, [Horror], Ct));

        var yes = Math.Exp(-1.0) + Math.Exp(-2.0);
        var no = Math.Exp(-1.5) + Math.Exp(-3.0);
        Assert.Equal(yes / (yes + no), p, 12);
    }

    [Fact]
    public async Task An_unlisted_answer_is_bounded_by_the_least_likely_listed_token()
    {
        await using var server = FakeOpenAiServer.Start(_ => ScriptedReply.FirstToken(("Yes", -0.1), ("Sure", -3.0), ("The", -6.0)));
        using var backend = LlmTestData.Backend(server, new ModelCallCounters());

        var p = Assert.Single(await backend.Validator.ScoreAsync(LlmTestData.Request(), Chain, [Horror], Ct));

        Assert.Equal(Math.Exp(-0.1) / (Math.Exp(-0.1) + Math.Exp(-6.0)), p, 12);
    }

    [Fact]
    public async Task Neither_yes_nor_no_is_a_counted_malformed_answer()
    {
        await using var server = FakeOpenAiServer.Start(_ => ScriptedReply.FirstToken(("Maybe", -0.1), ("The", -2.0)));
        var counters = new ModelCallCounters();
        using var backend = LlmTestData.Backend(server, counters);

        var error = await Assert.ThrowsAsync<MalformedAnswerException>(() => backend.Validator.ScoreAsync(LlmTestData.Request(), Chain, [Horror], Ct));

        Assert.Equal("validator", error.Role);
        Assert.Contains("Maybe", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, counters.MalformedAnswers);
        Assert.Equal(0, counters.Failures);
    }

    [Fact]
    public async Task An_answer_without_logprobs_is_a_counted_malformed_answer()
    {
        await using var server = FakeOpenAiServer.Start(_ => ScriptedReply.Chat("Yes"));
        var counters = new ModelCallCounters();
        using var backend = LlmTestData.Backend(server, counters);

        await Assert.ThrowsAsync<MalformedAnswerException>(() => backend.Validator.ScoreAsync(LlmTestData.Request(), Chain, [Horror], Ct));

        Assert.Equal(1, counters.MalformedAnswers);
    }

    [Fact]
    public async Task Items_are_scored_concurrently_within_the_bound_and_in_order()
    {
        using var handler = new GatedHttpHandler(body =>
        {
            var user = body["messages"]![1]!["content"]!.GetValue<string>();
            var yes = user.Contains("Item 0", StringComparison.Ordinal) ? -0.1 : user.Contains("Item 5", StringComparison.Ordinal) ? -3.0 : -1.0;
            return ScriptedReply.FirstToken(("Yes", yes), ("No", -1.0));
        });
        using var http = new HttpClient(handler);
        using var backend = LlmBackend.Create(LlmTestData.Options("http://127.0.0.1:9/v1", o => o.MaxConcurrency = 2), http, new ModelCallCounters());
        var items = Enumerable.Range(0, 6).Select(i => new CandidateItem($"i{i}", $"Item {i}", ["Drama"])).ToList();

        var scoring = backend.Validator.ScoreAsync(LlmTestData.Request(), Chain, items, Ct);

        Assert.Equal(2, handler.Arrived); // two at once (not one by one), and no more than the bound
        handler.Open();
        var scores = await scoring;
        Assert.Equal(2, handler.Peak);
        Assert.Equal(6, handler.Arrived);
        Assert.True(scores[0] > 0.5);
        Assert.Equal(0.5, scores[1], 12);
        Assert.True(scores[5] < 0.5);
    }
}
