using System.Diagnostics;
using TrackRec.Streaming.Models.Onnx;
using static TorchSharp.torch;

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
        var order = Enumerable.Range(0, pairs.Count).ToArray();
        random.Shuffle(order);
        var heldOutCount = Math.Min(options.MaxHeldOut, (int)(pairs.Count * options.HeldOutShare));
        if (heldOutCount < 2)
            heldOutCount = 0;
        var heldOut = order[..heldOutCount];
        var train = order[heldOutCount..];
        if (train.Length < 2)
            throw new ArgumentException($"{pairs.Count} pairs leave {train.Length} to train on after holding out {heldOutCount}", nameof(pairs));

        using var anchors = Matrix(pairs.Select(p => p.Anchor), dimension);
        using var positives = Matrix(pairs.Select(p => p.Positive), dimension);
        using var weight = new TorchSharp.Modules.Parameter(zeros(dimension, dimension));
        using var bias = new TorchSharp.Modules.Parameter(zeros(dimension));
        Tensor Adapt(Tensor x) => nn.functional.normalize(x + x.matmul(weight.t()) + bias, p: 2, dim: 1);

        var (pretrained, chance) = Evaluate(Adapt, anchors, positives, pairs, heldOut, options.EvaluationGroupSize);
        using var optimizer = optim.Adam([weight, bias], options.LearningRate, weight_decay: options.WeightDecay);
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
                var logits = Adapt(anchors.index_select(0, index)).matmul(Adapt(positives.index_select(0, index)).t()) / options.Temperature;
                var labels = arange(batch.Length, ScalarType.Int64);
                var loss = (nn.functional.cross_entropy(logits, labels) + nn.functional.cross_entropy(logits.t(), labels)) / 2;
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
        return new AdapterTrainingResult
        {
            Weights = new EncoderAdapterWeights { Dimension = dimension, Weight = weight.detach().contiguous().data<float>().ToArray(), Bias = bias.detach().data<float>().ToArray() },
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
        return tensor(data, [data.Length / width, width]);
    }

    // In-batch retrieval on held-out pairs, in groups: the share of anchors whose nearest positive in the group
    // has their own positive's key, and what a random ranking would score on the same groups.
    private static (double Accuracy, double Chance) Evaluate(Func<Tensor, Tensor> adapt, Tensor anchors, Tensor positives,
        IReadOnlyList<(float[] Anchor, float[] Positive, string PositiveKey)> pairs, int[] heldOut, int groupSize)
    {
        double correct = 0, chance = 0;
        var measured = 0;
        using var noGrad = no_grad();
        for (var start = 0; start < heldOut.Length; start += groupSize)
        {
            var group = heldOut.AsSpan(start, Math.Min(groupSize, heldOut.Length - start)).ToArray();
            if (group.Length < 2)
                continue;
            using var scope = NewDisposeScope();
            var index = tensor(group.Select(i => (long)i).ToArray());
            var best = adapt(anchors.index_select(0, index)).matmul(adapt(positives.index_select(0, index)).t()).argmax(1).data<long>().ToArray();
            for (var r = 0; r < group.Length; r++)
            {
                var own = pairs[group[r]].PositiveKey;
                if (string.Equals(pairs[group[(int)best[r]]].PositiveKey, own, StringComparison.Ordinal))
                    correct++;
                chance += group.Count(i => string.Equals(pairs[i].PositiveKey, own, StringComparison.Ordinal)) / (double)group.Length;
            }
            measured += group.Length;
        }
        return measured == 0 ? (double.NaN, double.NaN) : (correct / measured, chance / measured);
    }
}
