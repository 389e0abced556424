namespace TrackRec.Streaming.Hosting.Retraining;

/// <summary>What a retraining round published.</summary>
/// <param name="Batches">Batches trained on.</param>
/// <param name="Generator">The new generator version.</param>
/// <param name="ParentGenerator">The generator version it was trained from.</param>
/// <param name="InitialLoss">Preference loss before the round.</param>
/// <param name="Loss">Preference loss after it.</param>
/// <param name="Validator">The new validator version, or null when it was not retrained.</param>
public sealed record RetrainingResult(int Batches, string Generator, string? ParentGenerator, double InitialLoss, double Loss, string? Validator);
