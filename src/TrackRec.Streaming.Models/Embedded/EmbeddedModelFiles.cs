namespace TrackRec.Streaming.Models.Embedded;

/// <summary>Role names and file names of the embedded models in the model directory.</summary>
public static class EmbeddedModelFiles
{
    /// <summary>Role of the claim policy.</summary>
    public const string Generator = "generator";
    /// <summary>Role of the validator network.</summary>
    public const string Validator = "validator";
    /// <summary>Role of the text encoder (ONNX).</summary>
    public const string Encoder = "encoder";
    /// <summary>Role of the novelty and alignment models.</summary>
    public const string Explorer = "explorer";

    /// <summary>The policy network (MlpWeights JSON).</summary>
    public const string Policy = "policy.json";
    /// <summary>How the policy samples (ClaimPolicySettings JSON).</summary>
    public const string PolicySettings = "policy_settings.json";
    /// <summary>The validator network (MlpWeights JSON).</summary>
    public const string ValidatorNetwork = "validator.json";
    /// <summary>Category priors (CategoryPriors JSON), shipped with each model that reads them.</summary>
    public const string Priors = "priors.json";
    /// <summary>The exploration models (ExplorerModel JSON).</summary>
    public const string ExplorerData = "explorer.json";

    /// <summary>Every role the embedded default needs.</summary>
    public static IReadOnlyList<string> Roles { get; } = [Generator, Validator, Encoder, Explorer];
}
