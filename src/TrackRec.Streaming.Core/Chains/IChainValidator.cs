namespace TrackRec.Streaming.Chains;

/// <summary>
/// The validator role (TrackRec's V): for a chain and each (user, item) pair, p = P(Yes) / (P(Yes) + P(No))
/// that the user clicks the item. A chain's reward on a labelled pair is p for a click, 1 - p otherwise.
/// </summary>
public interface IChainValidator
{
    /// <summary>Version of the model and prompt.</summary>
    string Version { get; }

    /// <summary>Scores the chain for each item, in order; every score is in [0, 1].</summary>
    Task<IReadOnlyList<double>> ScoreAsync(ChainRequest request, ChainDraft chain, IReadOnlyList<CandidateItem> items, CancellationToken cancellationToken);

    /// <summary>
    /// The validator's question for one (chain, item) as chat messages, for supervised training records;
    /// backends without a chat prompt give TrackRec's question as one user message.
    /// </summary>
    IReadOnlyList<PromptMessage> RenderPrompt(ChainDraft chain, CandidateItem item) =>
    [
        // The chain may quote users and the categories are catalog text: both fenced like the title, as a trainer
        // feeding these records to a chat model is as exposed to injection as the live roles.
        new("user", $"The user's preferences:\n<summary>{PromptText.QuoteBlock(chain.Text, 2000)}</summary>\n\nThe item: {PromptText.Quote($"{item.Title ?? item.ItemId} ({string.Join(", ", item.Categories)})", 120 + 200)}\n\nWill the user click on the item? Answer Yes or No."),
    ];
}
