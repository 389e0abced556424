using TrackRec.Streaming.Chains;
using TrackRec.Streaming.Models.Llm;

namespace TrackRec.Streaming.Tests.Llm;

public sealed class LlmChainReflectorTests
{
    private static readonly ChainDraft Draft = new("The user loves horror and musicals.", [], null);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_accept_verdict_is_an_accepted_reflection()
    {
        await using var server = FakeOpenAiServer.Start(_ => ScriptedReply.Chat("VERDICT: ACCEPT\nCRITIQUE: none\nFAILED: none"));
        var counters = new ModelCallCounters();
        using var backend = LlmTestData.Backend(server, counters);

        var reflection = await backend.Reflector.ReflectAsync(LlmTestData.Request(), Draft, Ct);

        Assert.True(reflection.Accepted);
        Assert.Empty(reflection.FailedClaims);
        var request = Assert.Single(server.Requests);
        Assert.Equal(0, request.Body["temperature"]!.GetValue<double>());
        Assert.Contains("Is this preference reasonable given the history?", request.User, StringComparison.Ordinal);
        Assert.Contains("<summary><<<user_text>>>The user loves horror and musicals.<<</user_text>>></summary>", request.User, StringComparison.Ordinal);
        Assert.Contains("<<<user_text>>>Alien [", request.User, StringComparison.Ordinal);
        Assert.Equal(0, counters.MalformedAnswers);
    }

    [Fact]
    public async Task A_reject_verdict_carries_the_critique_and_the_failed_claims()
    {
        await using var server = FakeOpenAiServer.Start(_ => ScriptedReply.Chat(
            "**VERDICT:** REJECT\n**CRITIQUE:** Musicals never appear in the history,\nand horror is only one film.\n**FAILED:** loves musicals; \"loves horror\""));
        using var backend = LlmTestData.Backend(server, new ModelCallCounters());

        var reflection = await backend.Reflector.ReflectAsync(LlmTestData.Request(), Draft, Ct);

        Assert.False(reflection.Accepted);
        Assert.Equal("Musicals never appear in the history, and horror is only one film.", reflection.Critique);
        Assert.Equal(["loves musicals", "loves horror"], reflection.FailedClaims);
    }

    [Theory]
    [InlineData("The summary looks fine to me.")]
    [InlineData("VERDICT: ACCEPT or REJECT\nCRITIQUE: none\nFAILED: none")]
    [InlineData("VERDICT: REJECT\nFAILED: loves musicals")]
    [InlineData("VERDICT: ACCEPT\nVERDICT: REJECT\nCRITIQUE: unsure")]
    [InlineData("")]
    public async Task An_answer_out_of_format_is_a_counted_malformed_answer(string answer)
    {
        await using var server = FakeOpenAiServer.Start(_ => ScriptedReply.Chat(answer));
        var counters = new ModelCallCounters();
        using var backend = LlmTestData.Backend(server, counters);

        var error = await Assert.ThrowsAsync<MalformedAnswerException>(() => backend.Reflector.ReflectAsync(LlmTestData.Request(), Draft, Ct));

        Assert.Equal("reflection", error.Role);
        Assert.Equal(1, counters.MalformedAnswers);
    }

    [Theory]
    [InlineData("VERDICT: ACCEPT", true, "", 0)]
    [InlineData("verdict: accepted.\ncritique: Consistent with the clicks.", true, "Consistent with the clicks.", 0)]
    [InlineData("<think>hmm VERDICT: ACCEPT</think>\nVERDICT: REJECT\nCRITIQUE: Unsupported.\nFAILED: a; b ;  ; none", false, "Unsupported.", 2)]
    [InlineData("- VERDICT: Reject\n- CRITIQUE: Claims a liking for romance, which is only shown.\n- FAILED: none", false, "Claims a liking for romance, which is only shown.", 0)]
    public void The_parser_reads_the_strict_format_with_the_usual_decoration(string answer, bool accepted, string critique, int failed)
    {
        var reflection = ReflectionParser.Parse(answer);

        Assert.NotNull(reflection);
        Assert.Equal(accepted, reflection.Accepted);
        if (critique.Length > 0)
            Assert.Equal(critique, reflection.Critique);
        Assert.Equal(failed, reflection.FailedClaims.Count);
    }
}
