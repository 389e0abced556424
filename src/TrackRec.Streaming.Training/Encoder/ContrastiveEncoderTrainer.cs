using System.Diagnostics;
using TrackRec.Streaming.Models.Onnx;
using static TorchSharp.torch;
using TrackRec.Streaming.Training.Optimisation;

namespace TrackRec.Streaming.Training.Encoder;

/// <summary>
/// Trains the encoder contrastively with TorchSharp on the CPU: each chain text (anchor) should land nearer
/// the text of the item its user then engaged with (positive) than the other positives of its batch, and
/// the other way round (symmetric InfoNCE, in-batch negatives, Adam). Runs repeat exactly for a seed: the
/// seed drives the initialisation (a private libtorch generator, so concurrent trainings in one process do not
/// disturb it) and our own shuffling and held-out split.
/// </summary>
public static class ContrastiveEncoderTrainer
{
    /// <summary>Builds the vocabulary from the pairs, trains, and measures held-out retrieval before and after.</summary>
    public static EncoderTrainingResult Train(IReadOnlyList<(string Anchor, string Positive)> pairs, EncoderTrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (pairs.Count < 2)
            throw new ArgumentException($"contrastive training needs at least 2 pairs, got {pairs.Count}", nameof(pairs));
        var clock = Stopwatch.StartNew();
        var vocabulary = VocabularyBuilder.Build(pairs.SelectMany(p => new[] { p.Anchor, p.Positive }), options.MaxVocabularyWords, options.MinWordCount);
        var tokenizer = WordPieceTextTokenizer.FromVocabulary(vocabulary);
        var cache = new Dictionary<string, int[]>(StringComparer.Ordinal);
        int[] Ids(string text) => cache.TryGetValue(text, out var ids) ? ids : cache[text] = tokenizer.TokenIds(text, options.MaxSequenceLength);

        var random = new Random(options.Seed);
        var (train, heldOut) = ContrastiveObjective.Split(pairs.Count, random, options.MaxHeldOut, options.HeldOutShare);

        using var network = new EncoderNetwork(vocabulary.Count, options.EmbeddingDimension, options.Dimension, options.Seed);
        var (initialAccuracy, chance) = Evaluate(network, tokenizer, pairs, heldOut, Ids, options.EvaluationGroupSize);
        using var optimizer = new AdamOptimizer(network.parameters(), options.LearningRate);
        double firstLoss = double.NaN, lastLoss = double.NaN;
        for (var epoch = 0; epoch < options.Epochs; epoch++)
        {
            random.Shuffle(train);
            double sum = 0;
            var steps = 0;
            for (var start = 0; start + 1 < train.Length; start += options.BatchSize)
            {
                var batch = train.AsSpan(start, Math.Min(options.BatchSize, train.Length - start)).ToArray();
                if (batch.Length < 2)
                    continue; // a lone pair has no negatives
                sum += Step(network, optimizer, tokenizer, pairs, batch, Ids, options.Temperature);
                steps++;
            }
            lastLoss = sum / steps;
            if (epoch == 0)
                firstLoss = lastLoss;
        }
        var (accuracy, _) = Evaluate(network, tokenizer, pairs, heldOut, Ids, options.EvaluationGroupSize);
        return new EncoderTrainingResult
        {
            Weights = network.Weights(vocabulary, options.MaxSequenceLength, lowerCase: true),
            FinalLoss = lastLoss,
            FirstEpochLoss = firstLoss,
            HeldOutAccuracy = accuracy,
            InitialHeldOutAccuracy = initialAccuracy,
            HeldOutChance = chance,
            TrainPairs = train.Length,
            HeldOutPairs = heldOut.Length,
            Elapsed = clock.Elapsed,
        };
    }

    /// <summary>
    /// The vectors TorchSharp computes for <paramref name="texts"/> with <paramref name="weights"/>: the
    /// reference the ONNX export must reproduce.
    /// </summary>
    public static IReadOnlyList<float[]> Embed(EncoderWeights weights, IReadOnlyList<string> texts, int batchSize = 256)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var tokenizer = WordPieceTextTokenizer.FromVocabulary(weights.Vocabulary, weights.LowerCase);
        using var network = EncoderNetwork.From(weights);
        network.eval();
        using var noGrad = no_grad();
        var vectors = new List<float[]>(texts.Count);
        for (var start = 0; start < texts.Count; start += batchSize)
        {
            var count = Math.Min(batchSize, texts.Count - start);
            using var encoded = network.Encode(tokenizer.Tokenize(texts, start, count, weights.MaxSequenceLength));
            vectors.AddRange(Rows(encoded));
        }
        return vectors;
    }

    private static double Step(EncoderNetwork network, AdamOptimizer optimizer, WordPieceTextTokenizer tokenizer,
        IReadOnlyList<(string Anchor, string Positive)> pairs, int[] batch, Func<string, int[]> ids, double temperature)
    {
        using var scope = NewDisposeScope();
        var anchors = network.Encode(tokenizer.Pad(batch.Select(i => ids(pairs[i].Anchor)).ToList()));
        var positives = network.Encode(tokenizer.Pad(batch.Select(i => ids(pairs[i].Positive)).ToList()));
        var loss = ContrastiveObjective.Loss(anchors, positives, temperature);
        optimizer.zero_grad();
        loss.backward();
        optimizer.step();
        return loss.item<float>();
    }

    // Held-out retrieval; an anchor whose nearest positive has the same text as its own counts as right.
    private static (double Accuracy, double Chance) Evaluate(EncoderNetwork network, WordPieceTextTokenizer tokenizer,
        IReadOnlyList<(string Anchor, string Positive)> pairs, int[] heldOut, Func<string, int[]> ids, int groupSize) =>
        ContrastiveObjective.Retrieval(heldOut, groupSize, group => (
            network.Encode(tokenizer.Pad(group.Select(i => ids(pairs[i].Anchor)).ToList())),
            network.Encode(tokenizer.Pad(group.Select(i => ids(pairs[i].Positive)).ToList()))), i => pairs[i].Positive);

    private static List<float[]> Rows(Tensor matrix)
    {
        var width = (int)matrix.shape[1];
        using var dense = matrix.contiguous();
        var data = dense.data<float>().ToArray();
        var rows = new List<float[]>((int)matrix.shape[0]);
        for (var r = 0; r < matrix.shape[0]; r++)
            rows.Add(data.AsSpan(r * width, width).ToArray());
        return rows;
    }
}
