using TrackRec.Streaming.Feedback;
using TrackRec.Streaming.Hosting.Retraining;
using TrackRec.Streaming.Models.Store;
using TrackRec.Streaming.Training.Dpo;

namespace TrackRec.Streaming.Cli.Retraining;

/// <summary>The trainer every host of the CLI is given: S-DPO (or DPO) on the generator, the validator retrained, as `trackrec train --batches` does.</summary>
internal sealed class DpoModelRetrainer : IModelRetrainer
{
    public static DpoModelRetrainer Instance { get; } = new();

    public async Task<RetrainingResult> RetrainAsync(ModelStore store, IBatchStore batches, IReadOnlyList<BatchManifest> ready, RetrainingOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = new AlternatingOptions
        {
            Dpo = new PolicyDpoOptions { Loss = options.Loss == "dpo" ? PreferenceLoss.Dpo : PreferenceLoss.SDpo, Beta = options.Beta },
        };
        var report = await BatchTraining.RunAsync(store, batches, ready, settings, TextWriter.Null, cancellationToken).ConfigureAwait(false);
        return new RetrainingResult(report.Batches, report.Generator.Version, report.Generator.ParentVersion, report.Dpo.InitialLoss, report.Dpo.TrainLoss, report.Validator?.Version);
    }
}
