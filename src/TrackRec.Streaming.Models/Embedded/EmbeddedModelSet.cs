using TrackRec.Streaming.Chains;
using TrackRec.Streaming.Models.Onnx;
using TrackRec.Streaming.Models.Store;

namespace TrackRec.Streaming.Models.Embedded;

/// <summary>
/// Loads the embedded default's roles from the model directory: the CURRENT version of each. Missing
/// models are reported all at once, with the command that makes them.
/// </summary>
public static class EmbeddedModelSet
{
    /// <summary>True when every embedded role has a current version in <paramref name="store"/>.</summary>
    public static bool IsComplete(ModelStore store) => Missing(store).Count == 0;

    /// <summary>The embedded roles with no current version in <paramref name="store"/>.</summary>
    public static IReadOnlyList<string> Missing(ModelStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        return EmbeddedModelFiles.Roles.Where(role => store.Current(role) is null).ToList();
    }

    /// <summary>The roles, ready to serve.</summary>
    public static ChainRoles Load(ModelStore store)
    {
        var missing = Missing(store);
        if (missing.Count > 0)
            throw new InvalidOperationException(
                $"the model directory {store.Root} has no current {string.Join(", ", missing)} model; " +
                "create them with `trackrec train --models DIR` (or point TrackRec:Models:Directory at a directory that has them)");

        var generatorCard = store.Current(EmbeddedModelFiles.Generator)!;
        var generator = new ClaimPolicyGenerator(
            new Mlp(store.ReadJson<MlpWeights>(generatorCard, EmbeddedModelFiles.Policy)),
            store.ReadJson<CategoryPriors>(generatorCard, EmbeddedModelFiles.Priors),
            store.ReadJson<ClaimPolicySettings>(generatorCard, EmbeddedModelFiles.PolicySettings),
            generatorCard.Version);

        var validatorCard = store.Current(EmbeddedModelFiles.Validator)!;
        var validator = new EmbeddedValidator(
            new Mlp(store.ReadJson<MlpWeights>(validatorCard, EmbeddedModelFiles.ValidatorNetwork)),
            store.ReadJson<CategoryPriors>(validatorCard, EmbeddedModelFiles.Priors),
            validatorCard.Version);

        var explorerCard = store.Current(EmbeddedModelFiles.Explorer)!;
        var explorer = new NoveltyExplorer(store.ReadJson<ExplorerModel>(explorerCard, EmbeddedModelFiles.ExplorerData), explorerCard.Version);

        var encoder = OnnxTextEncoder.FromModelStore(store, store.Current(EmbeddedModelFiles.Encoder)!);
        return new ChainRoles(generator, validator, new ClaimCritic(), explorer, encoder);
    }
}
