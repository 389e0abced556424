using System.ComponentModel.DataAnnotations;

namespace TrackRec.Streaming.Hosting;

/// <summary>Which backend serves the model roles, and where the embedded models live.</summary>
public sealed class ModelOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "TrackRec:Models";

    /// <summary>
    /// The model directory (versioned folders per role, see docs). The embedded backend needs all four
    /// roles there; the LLM backend still takes the encoder and explorer from it when present.
    /// </summary>
    [Required(AllowEmptyStrings = false)]
    public string Directory { get; set; } = "models";

    /// <summary>
    /// Versions to serve instead of a role's CURRENT one, role name to version (e.g. generator: generator-v2),
    /// for replays with an older or candidate model. Roles not named serve CURRENT.
    /// </summary>
    public Dictionary<string, string> Versions { get; set; } = [];

    /// <summary>
    /// How often the model directory's CURRENT pointers are checked; a newer version (published by a retraining
    /// job) replaces the serving roles without a restart. Zero turns reloading off. Pinned <see cref="Versions"/>
    /// are never reloaded.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00", ErrorMessage = Section + ":ReloadInterval must be between 0 and 1 day")]
    public TimeSpan ReloadInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Texts the shared MiniLM session remembers (its vectors by text, least recently asked for forgotten first).
    /// A worker's prompts never repeat and each holds a few KB, so the default keeps it to tens of MB.
    /// </summary>
    [Range(1, 10_000_000, ErrorMessage = Section + ":EncoderCacheTexts must be between 1 and 10000000")]
    public int EncoderCacheTexts { get; set; } = 10_000;

    /// <summary>Backend of the generator, reflection and validator roles.</summary>
    public ModelBackend Backend { get; set; } = ModelBackend.Embedded;

    /// <summary>Per-role backends, overriding <see cref="Backend"/> role by role.</summary>
    public ModelRolesOptions Roles { get; set; } = new();

    /// <summary>The backend that serves <paramref name="role"/> when it is set or follows <see cref="Backend"/> (generator, reflection, validator).</summary>
    public ModelBackend BackendOf(RoleBackendOptions role) => role?.Backend ?? Backend;

    /// <summary>True when any role is explicitly or by default served by the LLM endpoint.</summary>
    public bool UsesLlm =>
        BackendOf(Roles.Generator) == ModelBackend.Llm || BackendOf(Roles.Reflection) == ModelBackend.Llm || BackendOf(Roles.Validator) == ModelBackend.Llm
        || Roles.Scorer.Backend == ModelBackend.Llm || Roles.Encoder.Backend == ModelBackend.Llm;

    /// <summary>True when a role must come from the model directory (so the directory must have the models).</summary>
    public bool RequiresEmbedded =>
        BackendOf(Roles.Generator) == ModelBackend.Embedded || BackendOf(Roles.Reflection) == ModelBackend.Embedded || BackendOf(Roles.Validator) == ModelBackend.Embedded
        || Roles.Scorer.Backend == ModelBackend.Embedded || Roles.Encoder.Backend == ModelBackend.Embedded || Roles.Explorer.Backend == ModelBackend.Embedded;
}

/// <summary>Where the generator, reflection and validator roles run.</summary>
public enum ModelBackend
{
    /// <summary>The compact models trained by `trackrec train`, in process.</summary>
    Embedded,
    /// <summary>An OpenAI-compatible endpoint (vLLM, llama.cpp server, Ollama), configured under TrackRec:Models:Llm.</summary>
    Llm,
}
