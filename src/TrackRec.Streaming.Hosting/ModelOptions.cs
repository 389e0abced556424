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

    /// <summary>Backend of the generator, reflection and validator roles.</summary>
    public ModelBackend Backend { get; set; } = ModelBackend.Embedded;
}

/// <summary>Where the generator, reflection and validator roles run.</summary>
public enum ModelBackend
{
    /// <summary>The compact models trained by `trackrec train`, in process.</summary>
    Embedded,
    /// <summary>An OpenAI-compatible endpoint (vLLM, llama.cpp server, Ollama), configured under TrackRec:Models:Llm.</summary>
    Llm,
}
