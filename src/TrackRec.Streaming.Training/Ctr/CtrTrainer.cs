using System.Diagnostics;
using TorchSharp;
using TrackRec.Streaming.Models.Embedded;
using TrackRec.Streaming.Training.Mlp;
using static TorchSharp.torch;
using TrackRec.Streaming.Training.Reproducibility;
using TrackRec.Streaming.Training.Optimisation;

namespace TrackRec.Streaming.Training.Ctr;

/// <summary>
/// Trains the backbone (<see cref="DinModel"/> or <see cref="DcnModel"/>) with a fixed seed and budget (epochs, batch size, Adam learning rate) on
/// time-ordered training rows, stops early on the newest <see cref="CtrTrainingOptions.ValidationShare"/> of
/// them (never on the test rows), keeps the best epoch's weights and reports AUC and log loss on the test rows.
/// Chain features, when the rows carry them, are standardised with the training rows' statistics only.
/// </summary>
public static class CtrTrainer
{
    private const double MinImprovement = 1e-6;

    /// <summary>Trains on <paramref name="train"/> and tests on <paramref name="test"/> (same vocabulary, same chain features or none).</summary>
    public static CtrResult Train(CtrModelShape shape, CtrDataset train, CtrDataset test, CtrTrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (train.HasChainFeatures != test.HasChainFeatures)
            throw new ArgumentException("train and test rows must both carry chain features or both not", nameof(test));
        if (train.HistoryLength != shape.HistoryLength || test.HistoryLength != shape.HistoryLength)
            throw new ArgumentException($"the rows have history length {train.HistoryLength}/{test.HistoryLength}, the shape {shape.HistoryLength}", nameof(train));
        var clock = Stopwatch.StartNew();
        shape = shape with { ChainDims = train.HasChainFeatures ? train.ChainDims! : [] };

        var validationCount = (int)Math.Floor(train.Count * options.ValidationShare);
        var fitRows = Enumerable.Range(0, train.Count - validationCount).ToArray();
        if (fitRows.Length == 0)
            throw new ArgumentException("no training rows left after the validation split", nameof(train));
        var scaler = train.HasChainFeatures && options.StandardiseChainFeatures ? ChainScaler.Fit(train, fitRows.Length) : null;
        using var fit = Tensors.Of(train, 0, fitRows.Length, scaler);
        using var validation = validationCount > 0 ? Tensors.Of(train, fitRows.Length, train.Count, scaler) : null;
        using var testTensors = Tensors.Of(test, 0, test.Count, scaler);

        using var model = Create(shape, options);
        using var optimizer = new AdamOptimizer(model.parameters(), options.LearningRate, options.WeightDecay);
        var random = new Random(options.Seed);
        var positions = Enumerable.Range(0, fitRows.Length).Select(i => (long)i).ToArray();
        var bestEpoch = 0;
        var epochsRun = 0;
        using (var stopping = new EarlyStopping(options.Patience, MinImprovement))
        {
            for (var epoch = 1; epoch <= options.Epochs; epoch++)
            {
                epochsRun = epoch;
                model.train();
                random.Shuffle(positions);
                for (var start = 0; start < positions.Length; start += options.BatchSize)
                {
                    using var scope = NewDisposeScope();
                    var index = tensor(positions.AsSpan(start, Math.Min(options.BatchSize, positions.Length - start)).ToArray());
                    var loss = nn.functional.binary_cross_entropy_with_logits(model.forward(fit.Batch(index)), fit.Labels.index_select(0, index));
                    optimizer.zero_grad();
                    loss.backward();
                    optimizer.step();
                }
                double? validationLoss = validation is null ? null : Evaluate(model, validation).LogLoss;
                if (!stopping.Continue(model, epoch, validationLoss))
                    break;
            }
            stopping.RestoreBest(model);
            bestEpoch = stopping.BestEpoch;
        }

        var (validationAuc, validationLogLoss, _) = validation is null ? (double.NaN, double.NaN, []) : Evaluate(model, validation);
        var (testAuc, testLogLoss, testLogits) = test.Count == 0 ? (double.NaN, double.NaN, []) : Evaluate(model, testTensors);
        return new CtrResult(testAuc, testLogLoss, validationAuc, validationLogLoss)
        {
            TrainExamples = fitRows.Length,
            ValidationExamples = validationCount,
            TestExamples = test.Count,
            EpochsRun = epochsRun,
            BestEpoch = bestEpoch,
            ChainFeatures = train.HasChainFeatures,
            Parameters = model.parameters().Sum(p => p.numel()),
            TestLogits = testLogits,
            Elapsed = clock.Elapsed,
        };
    }

    /// <summary>A freshly initialised backbone of the kind <paramref name="options"/> names.</summary>
    internal static nn.Module<CtrBatch, Tensor> Create(CtrModelShape shape, CtrTrainingOptions options) => options.Backbone switch
    {
        CtrBackbone.Din => new DinModel(shape, options.Seed),
        CtrBackbone.Dcn => new DcnModel(shape, options.Seed),
        _ => throw new ArgumentOutOfRangeException(nameof(options), options.Backbone, "unknown backbone"),
    };

    /// <summary>AUC, mean log loss and the logits of a model on every row of <paramref name="rows"/>.</summary>
    internal static (double Auc, double LogLoss, double[] Logits) Evaluate(nn.Module<CtrBatch, Tensor> model, Tensors rows)
    {
        model.eval();
        using var noGrad = no_grad();
        var logits = new double[rows.Count];
        double lossSum = 0;
        const int chunk = 4096;
        for (var start = 0; start < rows.Count; start += chunk)
        {
            using var scope = NewDisposeScope();
            var count = Math.Min(chunk, rows.Count - start);
            using var from = TorchScalars.Of((long)start);
            using var to = TorchScalars.Of((long)(start + count));
            var index = arange(from, to, dtype: ScalarType.Int64);
            var z = model.forward(rows.Batch(index));
            lossSum += nn.functional.binary_cross_entropy_with_logits(z, rows.Labels.index_select(0, index), reduction: nn.Reduction.Sum).to_type(ScalarType.Float64).item<double>();
            z.to_type(ScalarType.Float64).contiguous().data<double>().CopyTo(logits, start);
        }
        var labels = new bool[rows.Count];
        var y = rows.Labels.data<float>();
        for (var i = 0; i < labels.Length; i++)
            labels[i] = y[i] == 1f;
        return (Auc.Compute(logits, labels), lossSum / Math.Max(1, rows.Count), logits);
    }

    /// <summary>Per-feature mean and deviation of each chain vector over the first rows of a dataset.</summary>
    internal sealed record ChainScaler(IReadOnlyList<float[]> Mean, IReadOnlyList<float[]> Scale)
    {
        public static ChainScaler Fit(CtrDataset data, int rows)
        {
            var means = new List<float[]>();
            var scales = new List<float[]>();
            for (var k = 0; k < data.ChainDims!.Count; k++)
            {
                var d = data.ChainDims[k];
                var v = data.ChainVectors![k];
                var sum = new double[d];
                var squares = new double[d];
                for (var r = 0; r < rows; r++)
                    for (var i = 0; i < d; i++)
                        sum[i] += v[r * d + i];
                var mean = sum.Select(s => s / Math.Max(1, rows)).ToArray();
                for (var r = 0; r < rows; r++)
                    for (var i = 0; i < d; i++)
                    {
                        var dev = v[r * d + i] - mean[i];
                        squares[i] += dev * dev;
                    }
                means.Add(mean.Select(m => (float)m).ToArray());
                scales.Add(squares.Select(s => Math.Sqrt(s / Math.Max(1, rows))).Select(s => (float)(s < 1e-9 ? 1.0 : s)).ToArray());
            }
            return new ChainScaler(means, scales);
        }
    }

    /// <summary>A dataset's rows [from, to) as tensors.</summary>
    internal sealed class Tensors : IDisposable
    {
        private readonly Tensor _users, _items, _itemCatalog, _history, _historyCatalog;
        private readonly List<Tensor> _chains;

        private Tensors(Tensor users, Tensor items, Tensor itemCatalog, Tensor history, Tensor historyCatalog, Tensor labels, List<Tensor> chains, int count)
        {
            (_users, _items, _itemCatalog, _history, _historyCatalog, Labels, _chains, Count) = (users, items, itemCatalog, history, historyCatalog, labels, chains, count);
        }

        public int Count { get; }

        public Tensor Labels { get; }

        public static Tensors Of(CtrDataset data, int from, int to, ChainScaler? scaler)
        {
            var n = to - from;
            var l = data.HistoryLength;
            var chains = new List<Tensor>();
            for (var k = 0; k < (data.ChainDims?.Count ?? 0); k++)
            {
                var d = data.ChainDims![k];
                var v = data.ChainVectors![k].AsSpan(from * d, n * d).ToArray();
                if (scaler is not null)
                    for (var r = 0; r < n; r++)
                        for (var i = 0; i < d; i++)
                            v[r * d + i] = (v[r * d + i] - scaler.Mean[k][i]) / scaler.Scale[k][i];
                chains.Add(OwnedTensor.Of(v, n, d));
            }
            return new Tensors(
                tensor(data.Users.AsSpan(from, n).ToArray()),
                tensor(data.Items.AsSpan(from, n).ToArray()),
                tensor(data.ItemCatalog.AsSpan(from, n).ToArray()),
                tensor(data.History.AsSpan(from * l, n * l).ToArray(), [n, l]),
                tensor(data.HistoryCatalog.AsSpan(from * l, n * l).ToArray(), [n, l]),
                OwnedTensor.Of(data.Labels.AsSpan(from, n).ToArray(), n),
                chains,
                n);
        }

        public CtrBatch Batch(Tensor index) => new(
            _users.index_select(0, index), _items.index_select(0, index), _itemCatalog.index_select(0, index),
            _history.index_select(0, index), _historyCatalog.index_select(0, index),
            _chains.Select(c => c.index_select(0, index)).ToList());

        public void Dispose()
        {
            foreach (var t in new[] { _users, _items, _itemCatalog, _history, _historyCatalog, Labels }.Concat(_chains))
                t.Dispose();
        }
    }
}
