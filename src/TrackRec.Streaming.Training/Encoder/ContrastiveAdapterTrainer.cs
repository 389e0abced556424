using System.Diagnostics;
using TrackRec.Streaming.Models.Onnx;
using static TorchSharp.torch;
using TrackRec.Streaming.Training.Reproducibility;
using TrackRec.Streaming.Training.Optimisation;
using TrackRec.Streaming.Training.Mlp;

namespace TrackRec.Streaming.Training.Encoder;

/// <summary>
/// Trains a residual linear adapter (<see cref="EncoderAdapterWeights"/>) on frozen pretrained vectors so that
/// a chain's vector lands nearer the vector of the item its user then engaged with than the other items of
/// its batch, and the other way round (symmetric InfoNCE, in-batch negatives, Adam), as RecCoT aligns its
/// small encoder. W starts at 0 (the pretrained geometry), so the held-out retrieval before training is the
/// pretrained encoder's own. The seed drives the shuffling and the split, so a run repeats exactly.
/// </summary>
public static class ContrastiveAdapterTrainer
{
    /// <summary>Trains on (anchor vector, positive vector, positive key) triples; equal keys count as the same positive.</summary>
    public static AdapterTrainingResult Train(IReadOnlyList<(float[] Anchor, float[] Positive, string PositiveKey)> pairs, AdapterTrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (pairs.Count < 2)
            throw new ArgumentException($"contrastive training needs at least 2 pairs, got {pairs.Count}", nameof(pairs));
        var dimension = pairs[0].Anchor.Length;
        if (pairs.Any(p => p.Anchor.Length != dimension || p.Positive.Length != dimension))
            throw new ArgumentException("every anchor and positive must have the same width", nameof(pairs));
        var clock = Stopwatch.StartNew();
        var random = new Random(options.Seed);
        var (train, heldOut) = ContrastiveObjective.Split(pairs.Count, random, options.MaxHeldOut, options.HeldOutShare);

        using var anchors = Matrix(pairs.Select(p => p.Anchor), dimension);
        using var positives = Matrix(pairs.Select(p => p.Positive), dimension);
        using var weight = new TorchSharp.Modules.Parameter(zeros(dimension, dimension));
        using var bias = new TorchSharp.Modules.Parameter(zeros(dimension));
        Tensor Adapt(Tensor x) => nn.functional.normalize(x.add(x.matmul(weight.t()), TorchScalars.OneInt).add(bias, TorchScalars.OneInt), p: 2, dim: 1);

        var (pretrained, chance) = Evaluate(Adapt, anchors, positives, pairs, heldOut, options.EvaluationGroupSize);
        using var optimizer = new AdamOptimizer([weight, bias], options.LearningRate, options.WeightDecay);
        double first = double.NaN, last = double.NaN;
        for (var epoch = 0; epoch < options.Epochs; epoch++)
        {
            random.Shuffle(train);
            double sum = 0;
            var steps = 0;
            for (var start = 0; start < train.Length; start += options.BatchSize)
            {
                var batch = train.AsSpan(start, Math.Min(options.BatchSize, train.Length - start)).ToArray();
                if (batch.Length < 2)
                    continue; // a lone pair has no negatives
                using var scope = NewDisposeScope();
                var index = tensor(batch.Select(i => (long)i).ToArray());
                var loss = ContrastiveObjective.Loss(Adapt(anchors.index_select(0, index)), Adapt(positives.index_select(0, index)), options.Temperature);
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
                sum += loss.item<float>();
                steps++;
            }
            last = sum / Math.Max(1, steps);
            if (epoch == 0)
                first = last;
        }
        var (accuracy, _) = Evaluate(Adapt, anchors, positives, pairs, heldOut, options.EvaluationGroupSize);
        using var exportScope = NewDisposeScope();
        return new AdapterTrainingResult
        {
            Weights = new EncoderAdapterWeights { Dimension = dimension, Weight = weight.detach().contiguous().data<float>().ToArray(), Bias = bias.detach().contiguous().data<float>().ToArray() },
            FirstEpochLoss = first,
            FinalLoss = last,
            HeldOutAccuracy = accuracy,
            PretrainedHeldOutAccuracy = pretrained,
            HeldOutChance = chance,
            TrainPairs = train.Length,
            HeldOutPairs = heldOut.Length,
            Elapsed = clock.Elapsed,
        };
    }

    private static Tensor Matrix(IEnumerable<float[]> rows, int width)
    {
        var data = rows.SelectMany(r => r).ToArray();
        return OwnedTensor.Of(data, data.Length / width, width);
    }

    private static (double Accuracy, double Chance) Evaluate(Func<Tensor, Tensor> adapt, Tensor anchors, Tensor positives,
        IReadOnlyList<(float[] Anchor, float[] Positive, string PositiveKey)> pairs, int[] heldOut, int groupSize) =>
        ContrastiveObjective.Retrieval(heldOut, groupSize, group =>
        {
            var index = tensor(group.Select(i => (long)i).ToArray());
            return (adapt(anchors.index_select(0, index)), adapt(positives.index_select(0, index)));
        }, i => pairs[i].PositiveKey);
}
