using System.Diagnostics;
using TorchSharp;
using TrackRec.Streaming.Models.Embedded;
using static TorchSharp.torch;
using TrackRec.Streaming.Training.Reproducibility;
using TrackRec.Streaming.Training.Optimisation;

namespace TrackRec.Streaming.Training.Mlp;

/// <summary>
/// Trains a one-logit <see cref="TorchMlp"/> on 0/1 labels with TorchSharp on the CPU: binary cross-entropy on
/// logits (optionally weighting positives), Adam with weight decay, shuffled mini-batches, early stopping on the
/// validation loss with the best epoch's weights kept. Inputs are standardised with statistics of the training
/// split only, and the standardisation is folded into the first layer at export, so the result takes raw
/// features and <see cref="Models.Embedded.Mlp"/> serves it with no scaler. A run repeats exactly for a seed:
/// the seed drives the initialisation (a private generator), the batch order and a shuffled split.
/// </summary>
public static class BinaryMlpTrainer
{
    /// <summary>Losses must improve by more than this to count as better (float noise is not progress).</summary>
    private const double MinImprovement = 1e-7;

    /// <summary>Trains on <paramref name="features"/> (one row per example, equal widths) and <paramref name="labels"/> (0 or 1).</summary>
    /// <exception cref="ArgumentException">No examples, ragged or non-finite rows, labels other than 0/1, one class only (in all the data or in the training split).</exception>
    /// <exception cref="InvalidOperationException">Training diverged (non-finite loss).</exception>
    public static BinaryTrainingResult Train(float[][] features, float[] labels, BinaryTrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var clock = Stopwatch.StartNew();
        var width = CheckData(features, labels, options.SoftTargets);

        var random = new Random(options.Seed);
        var order = Enumerable.Range(0, features.Length).ToArray();
        if (options.ShuffleValidationSplit)
            random.Shuffle(order);
        var validationCount = (int)Math.Floor(features.Length * options.ValidationFraction);
        var trainRows = order[..(features.Length - validationCount)];
        var validationRows = order[(features.Length - validationCount)..];
        var trainPositives = trainRows.Count(r => labels[r] >= 0.5f);
        if (!options.SoftTargets && (trainPositives == 0 || trainPositives == trainRows.Length))
            throw new ArgumentException(
                $"the training split ({trainRows.Length} of {features.Length} examples) holds only {(trainPositives == 0 ? "negatives" : "positives")}; " +
                "lower ValidationFraction or set ShuffleValidationSplit", nameof(labels));
        var positiveWeight = options.SoftTargets ? 1.0 : options.BalanceClasses
            ? (trainRows.Length - trainPositives) / (double)trainPositives
            : options.PositiveWeight ?? 1.0;

        var standardisation = FeatureStandardisation.Fit(features, trainRows);
        using var trainX = Matrix(features, trainRows, standardisation);
        using var trainY = Vector(labels, trainRows);
        using var validationX = validationCount > 0 ? Matrix(features, validationRows, standardisation) : null;
        using var validationY = validationCount > 0 ? Vector(labels, validationRows) : null;

        using var network = TorchMlp.Create([width, .. options.HiddenSizes, 1], options.Seed);
        using var optimizer = new AdamOptimizer(network.parameters(), options.LearningRate, options.WeightDecay);
        var positions = Enumerable.Range(0, trainRows.Length).Select(i => (long)i).ToArray();
        var bestEpoch = 0;
        var epochsRun = 0;
        using (var stopping = new EarlyStopping(options.Patience, MinImprovement))
        {
            for (var epoch = 1; epoch <= options.Epochs; epoch++)
            {
                epochsRun = epoch;
                network.train();
                random.Shuffle(positions);
                for (var start = 0; start < positions.Length; start += options.BatchSize)
                {
                    using var scope = NewDisposeScope();
                    var index = tensor(positions.AsSpan(start, Math.Min(options.BatchSize, positions.Length - start)).ToArray());
                    var loss = Objective(network.forward(trainX.index_select(0, index)).squeeze(-1), trainY.index_select(0, index), positiveWeight);
                    optimizer.zero_grad();
                    loss.backward();
                    optimizer.step();
                }
                double? validationLoss = validationX is null ? null : Loss(network, validationX, validationY!, positiveWeight);
                if (!stopping.Continue(network, epoch, validationLoss))
                    break;
            }
            stopping.RestoreBest(network);
            bestEpoch = stopping.BestEpoch;
        }

        network.eval();
        var trainLoss = Loss(network, trainX, trainY, positiveWeight);
        if (!double.IsFinite(trainLoss))
            throw new InvalidOperationException($"training diverged (training loss {trainLoss}); lower LearningRate");
        double validationAuc = double.NaN, validationLogLoss = double.NaN;
        if (validationX is not null)
        {
            validationLogLoss = Loss(network, validationX, validationY!, positiveWeight: 1.0);
            var scores = Logits(network, validationX);
            // Soft targets (a teacher's scores) are mostly on one side of 0.5: the AUC then says how well the student
            // ranks the teacher's upper half above its lower half.
            var positiveFrom = options.SoftTargets ? Median(validationRows.Select(r => labels[r])) : 0.5f;
            validationAuc = Auc.Compute(scores, validationRows.Select(r => labels[r] > positiveFrom || (!options.SoftTargets && labels[r] >= positiveFrom)).ToArray());
        }
        return new BinaryTrainingResult(network.ToWeights(standardisation), trainLoss, validationAuc, validationLogLoss, features.Length)
        {
            TrainExamples = trainRows.Length,
            ValidationExamples = validationCount,
            EpochsRun = epochsRun,
            BestEpoch = bestEpoch,
            Elapsed = clock.Elapsed,
        };
    }

    private static float Median(IEnumerable<float> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0.5f : sorted[sorted.Length / 2];
    }

    /// <summary>Checks the data and returns the feature width.</summary>
    private static int CheckData(float[][] features, float[] labels, bool soft)
    {
        if (features.Length != labels.Length)
            throw new ArgumentException($"{features.Length} feature rows but {labels.Length} labels", nameof(labels));
        if (features.Length == 0)
            throw new ArgumentException("no examples to train on", nameof(features));
        var width = features[0]?.Length ?? 0;
        if (width == 0)
            throw new ArgumentException("feature rows must not be empty", nameof(features));
        var positives = 0;
        for (var r = 0; r < features.Length; r++)
        {
            var row = features[r];
            if (row is null || row.Length != width)
                throw new ArgumentException($"feature row {r} has {row?.Length ?? 0} values, row 0 has {width}", nameof(features));
            for (var i = 0; i < width; i++)
                if (!float.IsFinite(row[i]))
                    throw new ArgumentException($"feature {i} of row {r} is not finite ({row[i]})", nameof(features));
            if (soft ? !(labels[r] >= 0f && labels[r] <= 1f) : labels[r] is not (0f or 1f))
                throw new ArgumentException($"label {r} is {labels[r]}; {(soft ? "targets must be probabilities in [0, 1]" : "labels must be 0 or 1")}", nameof(labels));
            if (labels[r] >= 0.5f)
                positives++;
        }
        if (soft)
        {
            if (labels.All(l => l == labels[0]))
                throw new ArgumentException($"all {features.Length} targets are {labels[0]}; there is nothing to distil", nameof(labels));
            return width;
        }
        if (positives == 0 || positives == features.Length)
            throw new ArgumentException(
                $"all {features.Length} labels are {(positives == 0 ? 0 : 1)}; a binary classifier needs both classes", nameof(labels));
        return width;
    }

    /// <summary>Mean BCE on logits, positives weighted by <paramref name="positiveWeight"/> (torch's pos_weight for 0/1 labels).</summary>
    private static Tensor Objective(Tensor logits, Tensor labels, double positiveWeight)
    {
        var perExample = nn.functional.binary_cross_entropy_with_logits(logits, labels, reduction: nn.Reduction.None);
        if (positiveWeight == 1.0)
            return perExample.mean();
        using var extra = TorchScalars.Of(positiveWeight - 1.0);
        return (perExample * labels.mul(extra).add(TorchScalars.One, TorchScalars.OneInt)).mean();
    }

    private static double Loss(TorchMlp network, Tensor x, Tensor y, double positiveWeight)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        return Objective(network.forward(x).squeeze(-1), y, positiveWeight).to_type(ScalarType.Float64).item<double>();
    }

    private static double[] Logits(TorchMlp network, Tensor x)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        return network.forward(x).squeeze(-1).to_type(ScalarType.Float64).contiguous().data<double>().ToArray();
    }

    private static Tensor Matrix(float[][] features, int[] rows, FeatureStandardisation standardisation)
    {
        var width = standardisation.Count;
        var flat = new float[rows.Length * width];
        for (var r = 0; r < rows.Length; r++)
            standardisation.Apply(features[rows[r]]).CopyTo(flat, r * width);
        return OwnedTensor.Of(flat, rows.Length, width);
    }

    private static Tensor Vector(float[] labels, int[] rows) => OwnedTensor.Of([.. rows.Select(r => labels[r])], rows.Length);
}
