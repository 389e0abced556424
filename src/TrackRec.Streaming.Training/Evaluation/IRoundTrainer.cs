using TrackRec.Streaming.Models.Store;

namespace TrackRec.Streaming.Training.Evaluation;

/// <summary>
/// One alternating round of TrackRec's feedback loop for `trackrec eval` (S-DPO on the generator, then the
/// validator retrained on the new generator's chains). It sees only the TRAIN part of the split
/// (<paramref name="train"/> in <see cref="TrainRoundAsync"/>, with the previous round's chains and validator
/// scores for every train impression), publishes new versions into <paramref name="store"/> (or returns the
/// roles directly), and reports its own training numbers. The evaluation then recomputes every impression's
/// chain features with the new roles and measures the validator's AUC and the backbone on the test part
/// itself, so a round trainer never needs (and never gets) test outcomes.
/// </summary>
public interface IRoundTrainer
{
    /// <summary>Trains round <paramref name="round"/> (1-based; round 0 is the bootstrap models).</summary>
    Task<RoundResult> TrainRoundAsync(int round, EvalData train, ModelStore store, CancellationToken ct);
}
