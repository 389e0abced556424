using TrackRec.Streaming.Feedback;
using TrackRec.Streaming.Models.Store;

namespace TrackRec.Streaming.Hosting.Retraining;

/// <summary>
/// Trains and publishes the next model versions from training batches. A port: the trainer (TorchSharp, S-DPO) lives
/// with the CLI, so the worker assembly and its image stay free of the training runtime.
/// </summary>
public interface IModelRetrainer
{
    /// <summary>Trains the next generator (and validator) on <paramref name="ready"/> and publishes them in <paramref name="store"/>.</summary>
    Task<RetrainingResult> RetrainAsync(ModelStore store, IBatchStore batches, IReadOnlyList<BatchManifest> ready, RetrainingOptions options, CancellationToken cancellationToken);
}
