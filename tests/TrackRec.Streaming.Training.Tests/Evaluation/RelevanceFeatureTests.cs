using TrackRec.Streaming.Chains;
using TrackRec.Streaming.Events;
using TrackRec.Streaming.Models.Embedded;
using TrackRec.Streaming.Processing;
using TrackRec.Streaming.Training.Ctr;
using TrackRec.Streaming.Training.Evaluation;
using TrackRec.Streaming.UserState;

namespace TrackRec.Streaming.Tests.Evaluation;

/// <summary>
/// The cosines the backbone is given beside the vectors: the history's with the item's text (B2's content) and the
/// chain's and prompt's with the item's text (Full's relevance).
/// </summary>
public sealed class RelevanceFeatureTests
{
    // Each text's vector is fixed by its first word, so the test knows every cosine.
    private sealed class WordEncoder : IChainEncoder
    {
        public string Version => "words";

        public int Dimension => 3;

        public Task<IReadOnlyList<float[]>> EncodeAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<float[]>>(texts.Select(t => t.Split(' ')[0] switch
            {
                "Alpha" => new float[] { 1, 0, 0 },
                "Beta" => new float[] { 0, 1, 0 },
                _ => new float[] { 1, 1, 0 },
            }).ToList());
    }

    private static readonly DateTimeOffset T0 = DateTimeOffset.UnixEpoch;

    private static readonly CatalogItem[] Catalog =
    [
        new("a", "Alpha", ["Drama"]),
        new("b", "Beta", ["Drama"]),
        new("g", "Gamma", ["Comedy"]),
    ];

    private static EvalImpression Impression(string item, string historyItem, float[]? chain, float[]? prompt)
    {
        var request = new ChainRequest("u", [new HistoryItemView(historyItem, null, [], Signal.Click, T0, null)], [], 1, T0);
        var labelled = new LabelledImpression(request, new CandidateItem(item, item, ["Drama"]), true, T0.AddMinutes(1));
        var served = chain is null ? null : new Chain("c", "u", "text", "g", T0, 1, chain, []) { PromptEmbedding = prompt ?? [] };
        return new EvalImpression(labelled, served, 0.5);
    }

    private static async Task<(CtrDataset Rows, ChainFeatureLayout Layout)> BuildAsync(params EvalImpression[] impressions)
    {
        var context = await FeatureContext.CreateAsync(new CategoryPriors(), Catalog, new WordEncoder(), TestContext.Current.CancellationToken);
        var featurizer = CtrFeaturizer.Fit(Catalog, impressions.Select(i => i.Labelled));
        var layout = ChainFeatureLayout.For(impressions) with { Statistics = true, Content = true, ContentWidth = context.ContentWidth, Relevance = true };
        return (featurizer.Build(impressions, layout, context), layout);
    }

    [Fact]
    public async Task The_history_cosine_and_the_chain_and_prompt_cosines_are_given_as_features()
    {
        var (rows, layout) = await BuildAsync(
            Impression("a", historyItem: "g", chain: [2, 0, 0], prompt: [0, 3, 0]),
            Impression("b", historyItem: "b", chain: [1, 1, 0], prompt: null));

        // statistics, item text, history text, history cosine, chain, prompt, relevance, validator score
        Assert.Equal([ValidatorFeatures.StatisticsCount, 3, 3, 1, 3, 3, 2, 1], layout.Dims);
        var historyCosine = rows.ChainVectors![3];
        var relevance = rows.ChainVectors[6];
        Assert.Equal(1 / MathF.Sqrt(2), historyCosine[0], 5); // Alpha against Gamma (1, 1, 0)
        Assert.Equal(1f, historyCosine[1], 5); // Beta against itself
        Assert.Equal(1f, relevance[0], 5); // chain (2, 0, 0) against Alpha
        Assert.Equal(0f, relevance[1], 5); // prompt (0, 3, 0) against Alpha
        Assert.Equal(1 / MathF.Sqrt(2), relevance[2], 5); // chain (1, 1, 0) against Beta
        Assert.Equal(0f, relevance[3], 5); // no prompt embedding: 0, not NaN
    }

    [Fact]
    public async Task Chains_without_prompt_embeddings_give_neither_a_prompt_column_nor_its_cosine()
    {
        // The writer ran with EmbedPrompt off: no chain carries a prompt embedding.
        var (rows, layout) = await BuildAsync(
            Impression("a", historyItem: "g", chain: [2, 0, 0], prompt: null),
            Impression("b", historyItem: "b", chain: [1, 1, 0], prompt: null));

        // statistics, item text, history text, history cosine, chain, relevance (the chain's cosine alone), validator score
        Assert.False(layout.PromptEmbedded);
        Assert.Equal([ValidatorFeatures.StatisticsCount, 3, 3, 1, 3, 1, 1], layout.Dims);
        Assert.Equal([1f, 1 / MathF.Sqrt(2)], rows.ChainVectors![5]);
        // So eval's "Full - prompt embedding" ablation would repeat Full, and is skipped.
        Assert.Equal(layout.Dims, (layout with { PromptEmbedding = false }).Dims);
    }

    [Fact]
    public void Relevance_needs_chain_and_item_vectors_of_one_width()
    {
        var layout = new ChainFeatureLayout(4) { Content = true, ContentWidth = 3, Relevance = true };

        Assert.False(layout.HasRelevance);
        Assert.DoesNotContain(layout.RelevanceWidth, layout.Dims.Skip(3));
    }
}
