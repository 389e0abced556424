using Microsoft.Extensions.Options;
using TrackRec.Streaming.Chains;
using TrackRec.Streaming.Models.Embedded;
using TrackRec.Streaming.Models.Llm;
using TrackRec.Streaming.Models.Onnx;
using TrackRec.Streaming.Models.Store;

namespace TrackRec.Streaming.Hosting;

/// <summary>Builds the model roles, each from the backend <see cref="ModelOptions.Roles"/> gives it.</summary>
public static class ModelRoleFactory
{
    /// <summary>The model directory's current (or pinned) embedded roles, when the directory has them all or a role must be embedded; else null.</summary>
    public static ChainRoles? LoadEmbedded(ModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var store = new ModelStore(options.Directory);
        return EmbeddedModelSet.IsComplete(store, options.Versions) || options.RequiresEmbedded ? EmbeddedModelSet.Load(store, options.Versions) : null;
    }

    /// <summary>
    /// The rule itself: each role from the backend <paramref name="options"/> gives it, out of <paramref name="embedded"/>
    /// (in-process models, however loaded) and <paramref name="llm"/> (an endpoint; one client shared by every LLM role,
    /// so they share its concurrency budget and circuit). A user-supplied ONNX encoder (TrackRec:Models:Encoder) replaces
    /// either backend's encoder, so a team can serve its own BGE or MiniLM export. `eval --generator llm` composes
    /// its roles here too, so it measures what the worker would serve.
    /// </summary>
    public static ChainRoles Compose(ModelOptions options, ChainRoles? embedded, LlmBackend? llm, OnnxEncoderOptions encoder)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(encoder);
        var r = options.Roles;
        var generator = Pick(options.BackendOf(r.Generator), embedded?.Generator, llm?.Generator, "Generator")!;
        var reflector = Pick(options.BackendOf(r.Reflection), embedded?.Reflector, llm?.Reflector, "Reflection");
        var validator = Pick(options.BackendOf(r.Validator), embedded?.Validator, llm?.Validator, "Validator")!;
        // The scorer sits on every impression's path: embedded when the directory has a validator, unless set.
        var scorer = r.Scorer.Backend is { } s ? Pick(s, embedded?.Validator, llm?.Validator, "Scorer") : embedded?.Validator ?? validator;
        IChainEncoder? chainEncoder = r.Encoder.Backend is { } e ? Pick(e, embedded?.Encoder, llm?.Encoder, "Encoder") : (IChainEncoder?)llm?.Encoder ?? embedded?.Encoder;
        var explorer = embedded?.Explorer;
        if (EncoderOptionsValidator.IsConfigured(encoder))
            chainEncoder = new OnnxTextEncoder(encoder);
        return new ChainRoles(generator, validator, reflector, explorer, chainEncoder) { Scorer = ReferenceEquals(scorer, validator) ? null : scorer };
    }

    private static T? Pick<T>(ModelBackend backend, T? embedded, T? llm, string role) where T : class =>
        backend == ModelBackend.Embedded
            ? embedded ?? throw new OptionsValidationException(ModelOptions.Section, typeof(ModelOptions), [$"{ModelOptions.Section}:Roles:{role}:Backend is Embedded but the model directory has no {role.ToLowerInvariant()} model"])
            : llm ?? throw new OptionsValidationException(ModelOptions.Section, typeof(ModelOptions), [$"{ModelOptions.Section}:Roles:{role}:Backend is Llm but the LLM endpoint has no {role.ToLowerInvariant()} role (an encoder needs TrackRec:Models:Llm:EmbeddingModel)"]);
}
