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
    /// <summary>True when every embedded role has a current (or pinned) version in <paramref name="store"/>.</summary>
    public static bool IsComplete(ModelStore store, IReadOnlyDictionary<string, string>? versions = null) => Missing(store, versions).Count == 0;

    /// <summary>
    /// The embedded roles with no current version in <paramref name="store"/>; a role pinned in
    /// <paramref name="versions"/> (role name to version, e.g. generator to generator-v2) is missing when that version is.
    /// </summary>
    public static IReadOnlyList<string> Missing(ModelStore store, IReadOnlyDictionary<string, string>? versions = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        return EmbeddedModelFiles.Roles.Where(role => Card(store, role, versions) is null).Select(role => versions?.TryGetValue(role, out var v) == true ? $"{role} ({v})" : role).ToList();
    }

    /// <summary>The roles, ready to serve: each role's CURRENT version unless <paramref name="versions"/> pins another (a replay with an older or candidate model).</summary>
    public static ChainRoles Load(ModelStore store, IReadOnlyDictionary<string, string>? versions = null)
    {
        var missing = Missing(store, versions);
        if (missing.Count > 0)
            throw new InvalidOperationException(
                $"the model directory {store.Root} has no current {string.Join(", ", missing)} model; " +
                "create them with `trackrec train --models DIR` (or point TrackRec:Models:Directory at a directory that has them)");

        // Every role's files are checked against their card before any is read: a tampered or partial version is refused whole.
        foreach (var role in EmbeddedModelFiles.Roles)
            store.Verify(Card(store, role, versions)!);

        var generatorCard = Card(store, EmbeddedModelFiles.Generator, versions)!;
        var generator = new ClaimPolicyGenerator(
            new Mlp(store.ReadJson<MlpWeights>(generatorCard, EmbeddedModelFiles.Policy)),
            store.ReadJson<CategoryPriors>(generatorCard, EmbeddedModelFiles.Priors),
            store.ReadJson<ClaimPolicySettings>(generatorCard, EmbeddedModelFiles.PolicySettings),
            generatorCard.Version);

        var validatorCard = Card(store, EmbeddedModelFiles.Validator, versions)!;
        var validator = new EmbeddedValidator(
            new Mlp(store.ReadJson<MlpWeights>(validatorCard, EmbeddedModelFiles.ValidatorNetwork)),
            store.ReadJson<CategoryPriors>(validatorCard, EmbeddedModelFiles.Priors),
            validatorCard.Version);

        var explorerCard = Card(store, EmbeddedModelFiles.Explorer, versions)!;
        var explorer = new NoveltyExplorer(store.ReadJson<ExplorerModel>(explorerCard, EmbeddedModelFiles.ExplorerData), explorerCard.Version);

        var encoderCard = Card(store, EmbeddedModelFiles.Encoder, versions)!;
        IChainEncoder encoder = AdaptedTextEncoder.IsAdapter(encoderCard)
            ? AdaptedTextEncoder.FromModelStore(store, encoderCard)
            : OnnxTextEncoder.FromModelStore(store, encoderCard);
        return new ChainRoles(generator, validator, new ClaimCritic(), explorer, encoder);
    }

    private static ModelCard? Card(ModelStore store, string role, IReadOnlyDictionary<string, string>? versions)
    {
        if (versions is null || !versions.TryGetValue(role, out var version))
            return store.Current(role);
        return File.Exists(Path.Combine(store.DirectoryOf(role, version), "card.json")) ? store.Load(role, version) : null;
    }
}
