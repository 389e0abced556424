namespace TrackRec.Streaming.Chains;

/// <summary>The model versions behind a chain and its feature, so every record says what made it.</summary>
public sealed record ModelVersions(string Generator, string Reflection, string Validator, string Encoder, string Explorer)
{
    /// <summary>No model took part.</summary>
    public static ModelVersions None { get; } = new(string.Empty, string.Empty, string.Empty, string.Empty, string.Empty);
}
