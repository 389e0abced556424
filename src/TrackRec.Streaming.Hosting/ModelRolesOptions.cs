namespace TrackRec.Streaming.Hosting;

/// <summary>
/// Per-role backends (TrackRec:Models:Roles:&lt;Role&gt;:Backend). Unset roles follow the defaults:
/// generator, reflection and validator follow TrackRec:Models:Backend; the per-impression scorer, encoder and
/// explorer are embedded when the model directory has them (with an LLM validator, the scorer is the embedded
/// validator that `trackrec train` fits on the LLM validator's records), and otherwise follow the validator, the
/// LLM embedding model, or none.
/// </summary>
public sealed class ModelRolesOptions
{
    /// <summary>TrackRec's G: samples the n chains.</summary>
    public RoleBackendOptions Generator { get; set; } = new();

    /// <summary>R4ec's reflection model.</summary>
    public RoleBackendOptions Reflection { get; set; } = new();

    /// <summary>TrackRec's V: scores the n chains on held-out outcomes to select the best.</summary>
    public RoleBackendOptions Validator { get; set; } = new();

    /// <summary>The per-impression scorer (fast lane) and the feedback rewards.</summary>
    public RoleBackendOptions Scorer { get; set; } = new();

    /// <summary>Chain and prompt embeddings.</summary>
    public RoleBackendOptions Encoder { get; set; } = new();

    /// <summary>Exploration candidates.</summary>
    public RoleBackendOptions Explorer { get; set; } = new();
}

/// <summary>Where one role runs.</summary>
public sealed class RoleBackendOptions
{
    /// <summary>Embedded or Llm; unset follows the defaults of <see cref="ModelRolesOptions"/>.</summary>
    public ModelBackend? Backend { get; set; }
}
