using Microsoft.Extensions.Options;
using TrackRec.Streaming.Models.Embedded;
using TrackRec.Streaming.Models.Store;

namespace TrackRec.Streaming.Hosting;

/// <summary>
/// Stops start-up on model settings that cannot serve, naming the setting: unknown pinned roles, an LLM explorer, and,
/// when the roles come from the model directory (<paramref name="checkDirectory"/>), a directory that lacks a role the
/// embedded backend must serve. A host given fixed roles (tests, eval) does not read the directory.
/// </summary>
public sealed class ModelOptionsValidator(bool checkDirectory = true) : IValidateOptions<ModelOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, ModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.Directory))
            return ValidateOptionsResult.Fail($"{ModelOptions.Section}:Directory must name the model directory");
        var unknown = options.Versions.Keys.Where(role => !EmbeddedModelFiles.Roles.Contains(role)).ToList();
        if (unknown.Count > 0)
            return ValidateOptionsResult.Fail($"{ModelOptions.Section}:Versions names unknown roles {string.Join(", ", unknown)} (roles: {string.Join(", ", EmbeddedModelFiles.Roles)})");
        if (options.Roles.Explorer.Backend == ModelBackend.Llm)
            return ValidateOptionsResult.Fail($"{ModelOptions.Section}:Roles:Explorer:Backend cannot be Llm: exploration is served by the embedded novelty model only");
        if (!checkDirectory || !options.RequiresEmbedded)
            return ValidateOptionsResult.Success;
        var store = new ModelStore(options.Directory);
        var missing = EmbeddedModelSet.Missing(store, options.Versions);
        return missing.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"{ModelOptions.Section}:Directory ({store.Root}) has no current (or pinned, TrackRec:Models:Versions) {string.Join(", ", missing)} model; " +
                $"run `trackrec train --models DIR` to create them, or serve {string.Join(", ", EmbeddedRoleSettings(options))} from the LLM endpoint");
    }

    private static IEnumerable<string> EmbeddedRoleSettings(ModelOptions options)
    {
        var roles = options.Roles;
        if (roles.Generator.Backend is null && roles.Reflection.Backend is null && roles.Validator.Backend is null && options.Backend == ModelBackend.Embedded)
            yield return $"{ModelOptions.Section}:Backend";
        foreach (var (name, role) in new[] { ("Generator", roles.Generator), ("Reflection", roles.Reflection), ("Validator", roles.Validator), ("Scorer", roles.Scorer), ("Encoder", roles.Encoder), ("Explorer", roles.Explorer) })
            if (role.Backend == ModelBackend.Embedded)
                yield return $"{ModelOptions.Section}:Roles:{name}:Backend";
    }
}
