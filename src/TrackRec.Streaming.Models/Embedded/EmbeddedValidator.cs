using TrackRec.Streaming.Chains;

namespace TrackRec.Streaming.Models.Embedded;

/// <summary>
/// The embedded validator: a small network over <see cref="ValidatorFeatures"/> whose sigmoid output is
/// p = P(Yes) / (P(Yes) + P(No)) that the user clicks the item, given the chain.
/// </summary>
public sealed class EmbeddedValidator : IChainValidator
{
    private readonly Mlp _network;
    private readonly CategoryPriors _priors;
    private readonly IReadOnlyList<string> _knownCategories;

    /// <summary>Creates the validator from a trained network.</summary>
    public EmbeddedValidator(Mlp network, CategoryPriors priors, string version)
    {
        _network = network ?? throw new ArgumentNullException(nameof(network));
        _priors = priors ?? throw new ArgumentNullException(nameof(priors));
        if (network.InputSize != ValidatorFeatures.Count || network.OutputSize != 1)
            throw new ArgumentException($"the validator must map {ValidatorFeatures.Count} features to one logit, it maps {network.InputSize} to {network.OutputSize}", nameof(network));
        _knownCategories = priors.ClickRate.Keys.Order(StringComparer.Ordinal).ToList();
        Version = version;
    }

    /// <inheritdoc />
    public string Version { get; }

    /// <inheritdoc />
    public Task<IReadOnlyList<double>> ScoreAsync(ChainRequest request, ChainDraft chain, IReadOnlyList<CandidateItem> items, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(items);
        var evidence = CategoryEvidence.From(request.History);
        var claims = chain.Claims.Count > 0 ? chain.Claims : ValidatorFeatures.FromText(chain.Text, _knownCategories);
        var scores = new double[items.Count];
        for (var i = 0; i < items.Count; i++)
            scores[i] = Sigmoid(_network.Score(ValidatorFeatures.Of(claims, items[i], evidence, _priors)));
        return Task.FromResult<IReadOnlyList<double>>(scores);
    }

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));
}
