using System.Globalization;
using System.Security.Cryptography;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using TrackRec.Streaming.Chains;
using TrackRec.Streaming.Models.Store;

namespace TrackRec.Streaming.Models.Onnx;

/// <summary>
/// The encoder role on ONNX Runtime: a sentence encoder exported to ONNX (a user's BGE/MiniLM, or the one
/// <c>trackrec train</c> makes) with its WordPiece vocab.txt. One <see cref="InferenceSession"/> is loaded
/// and reused for every call (ONNX Runtime allows concurrent Run calls on one session, and the tokenizer
/// keeps no per-call state, so the encoder is thread-safe). Texts go in batches of
/// <see cref="OnnxEncoderOptions.BatchSize"/>; a model that declares token_type_ids gets zeros; a 2-D
/// output is taken as pooled, a 3-D one (last_hidden_state) is mean-pooled over the attention mask; every
/// vector is L2-normalised, whatever the model already did.
/// </summary>
public sealed class OnnxTextEncoder : IChainEncoder, IDisposable
{
    /// <summary>File name of the model in a model-directory version.</summary>
    public const string ModelFile = "model.onnx";
    /// <summary>File name of the vocabulary in a model-directory version.</summary>
    public const string VocabFile = "vocab.txt";
    /// <summary>Card setting: length of the vectors.</summary>
    public const string DimensionSetting = "dimension";
    /// <summary>Card setting: most tokens per text.</summary>
    public const string MaxSequenceLengthSetting = "max_seq_len";
    /// <summary>Card setting: the output to read.</summary>
    public const string OutputNameSetting = "output_name";
    /// <summary>Card setting: whether the vocabulary is uncased ("true"/"false").</summary>
    public const string LowerCaseSetting = "lower_case";

    private const string Key = OnnxEncoderOptions.Section + ":";
    private const string InputIds = "input_ids";
    private const string AttentionMask = "attention_mask";
    private const string TokenTypeIds = "token_type_ids";
    private static readonly string[] PreferredOutputs = ["sentence_embedding", "last_hidden_state"];

    private readonly InferenceSession _session;
    private readonly WordPieceTextTokenizer _tokenizer;
    private readonly IReadOnlyList<(string Name, TensorElementType Type)> _inputs;
    private readonly string[] _outputNames;
    private readonly bool _pooledOutput;
    private readonly int _maxSequenceLength;
    private readonly int _batchSize;

    /// <summary>Loads the model and vocabulary named by <paramref name="options"/>; throws naming the setting when they are unusable.</summary>
    public OnnxTextEncoder(OnnxEncoderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        OnnxEncoderOptions.ThrowIfInvalid(options);
        _maxSequenceLength = options.MaxSequenceLength;
        _batchSize = options.BatchSize;
        _tokenizer = LoadTokenizer(options);
        using var sessionOptions = new SessionOptions
        {
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            InterOpNumThreads = 1,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        if (options.IntraOpThreads > 0)
            sessionOptions.IntraOpNumThreads = options.IntraOpThreads;
        try
        {
            _session = new InferenceSession(options.ModelPath, sessionOptions);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidOperationException($"{Key}ModelPath: ONNX Runtime cannot load {Path.GetFullPath(options.ModelPath)}: {e.Message}", e);
        }
        try
        {
            _inputs = Inputs(_session, options.ModelPath);
            OutputName = PickOutput(_session, options);
            _outputNames = [OutputName];
            var rank = _session.OutputMetadata[OutputName].Dimensions.Length;
            if (rank is not (2 or 3))
                throw new InvalidOperationException($"{Key}OutputName: output {OutputName} of {options.ModelPath} has rank {rank}; expected [batch, dim] or [batch, seq, hidden]");
            if (_session.OutputMetadata[OutputName].ElementDataType != TensorElementType.Float)
                throw new InvalidOperationException($"{Key}OutputName: output {OutputName} of {options.ModelPath} is {_session.OutputMetadata[OutputName].ElementDataType}, expected float");
            _pooledOutput = rank == 2;
            var declared = _session.OutputMetadata[OutputName].Dimensions[^1];
            // A dynamic hidden size is learnt from one tiny call, so Dimension is known before the first real text.
            Dimension = declared > 0 ? declared : Encode(["dimension probe"], CancellationToken.None)[0].Length;
            Version = options.Version ?? DerivedVersion(options.ModelPath);
        }
        catch
        {
            _session.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public string Version { get; }

    /// <inheritdoc />
    public int Dimension { get; }

    /// <summary>The model output the vectors come from.</summary>
    public string OutputName { get; }

    /// <summary>
    /// Loads an encoder version from the model directory (model.onnx and vocab.txt next to its card), with
    /// the card's version and the sequence length, output and casing it was trained with.
    /// </summary>
    public static OnnxTextEncoder FromModelStore(ModelStore store, ModelCard card)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(card);
        foreach (var file in new[] { ModelFile, VocabFile })
            if (!File.Exists(store.PathOf(card, file)))
                throw new FileNotFoundException($"model {card.Name} version {card.Version} has no {file} in {store.DirectoryOf(card.Name, card.Version)}", store.PathOf(card, file));
        var options = new OnnxEncoderOptions
        {
            ModelPath = store.PathOf(card, ModelFile),
            VocabPath = store.PathOf(card, VocabFile),
            OutputName = card.Settings.GetValueOrDefault(OutputNameSetting),
            Version = card.Version,
        };
        if (card.Settings.TryGetValue(MaxSequenceLengthSetting, out var maxLength))
            options.MaxSequenceLength = int.Parse(maxLength, CultureInfo.InvariantCulture);
        if (card.Settings.TryGetValue(LowerCaseSetting, out var lowerCase))
            options.LowerCase = bool.Parse(lowerCase);
        var encoder = new OnnxTextEncoder(options);
        if (card.Settings.TryGetValue(DimensionSetting, out var dimension) && int.Parse(dimension, CultureInfo.InvariantCulture) != encoder.Dimension)
        {
            encoder.Dispose();
            throw new InvalidDataException($"model {card.Name} version {card.Version}: card says dimension {dimension}, {ModelFile} makes {encoder.Dimension}");
        }
        return encoder;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<float[]>> EncodeAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        // The work is CPU-bound and synchronous; the task only carries its result or failure.
        try
        {
            return Task.FromResult(Encode(texts, cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<IReadOnlyList<float[]>>(cancellationToken);
        }
        catch (Exception e)
        {
            return Task.FromException<IReadOnlyList<float[]>>(e);
        }
    }

    /// <summary>Embeds the texts, one unit-length vector per text, in order, <see cref="OnnxEncoderOptions.BatchSize"/> texts per call.</summary>
    public IReadOnlyList<float[]> Encode(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var vectors = new List<float[]>(texts.Count);
        for (var start = 0; start < texts.Count; start += _batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = _tokenizer.Tokenize(texts, start, Math.Min(_batchSize, texts.Count - start), _maxSequenceLength);
            vectors.AddRange(Run(batch));
        }
        return vectors;
    }

    /// <inheritdoc />
    public void Dispose() => _session.Dispose();

    private List<float[]> Run(TokenizedBatch batch)
    {
        long[] shape = [batch.Rows, batch.Columns];
        var values = new List<OrtValue>(_inputs.Count);
        try
        {
            foreach (var (name, type) in _inputs)
            {
                var data = name switch
                {
                    InputIds => batch.Ids,
                    AttentionMask => batch.Mask,
                    _ => new long[batch.Ids.Length], // token_type_ids: one segment
                };
                values.Add(type == TensorElementType.Int64
                    ? OrtValue.CreateTensorValueFromMemory(data, shape)
                    : OrtValue.CreateTensorValueFromMemory(Array.ConvertAll(data, v => (int)v), shape));
            }
            using var runOptions = new RunOptions();
            using var outputs = _session.Run(runOptions, _inputs.Select(i => i.Name).ToArray(), values, _outputNames);
            var output = outputs[0];
            var outputShape = output.GetTensorTypeAndShape().Shape;
            return _pooledOutput ? Pooled(output.GetTensorDataAsSpan<float>(), outputShape, batch) : MeanPooled(output.GetTensorDataAsSpan<float>(), outputShape, batch);
        }
        finally
        {
            foreach (var value in values)
                value.Dispose();
        }
    }

    private List<float[]> Pooled(ReadOnlySpan<float> data, long[] shape, TokenizedBatch batch)
    {
        if (shape.Length != 2 || shape[0] != batch.Rows)
            throw new InvalidOperationException($"encoder output {OutputName} has shape [{string.Join(", ", shape)}] for {batch.Rows} texts");
        var width = (int)shape[1];
        var vectors = new List<float[]>(batch.Rows);
        for (var r = 0; r < batch.Rows; r++)
            vectors.Add(Normalised(data.Slice(r * width, width).ToArray()));
        return vectors;
    }

    private List<float[]> MeanPooled(ReadOnlySpan<float> data, long[] shape, TokenizedBatch batch)
    {
        if (shape.Length != 3 || shape[0] != batch.Rows || shape[1] != batch.Columns)
            throw new InvalidOperationException($"encoder output {OutputName} has shape [{string.Join(", ", shape)}] for {batch.Rows} texts of {batch.Columns} tokens");
        var hidden = (int)shape[2];
        var vectors = new List<float[]>(batch.Rows);
        for (var r = 0; r < batch.Rows; r++)
        {
            var sum = new float[hidden];
            var tokens = 0;
            for (var c = 0; c < batch.Columns; c++)
            {
                if (batch.Mask[r * batch.Columns + c] == 0)
                    continue;
                tokens++;
                var row = data.Slice((r * batch.Columns + c) * hidden, hidden);
                for (var h = 0; h < hidden; h++)
                    sum[h] += row[h];
            }
            for (var h = 0; h < hidden; h++)
                sum[h] /= Math.Max(tokens, 1);
            vectors.Add(Normalised(sum));
        }
        return vectors;
    }

    private static float[] Normalised(float[] vector)
    {
        var norm = 0.0;
        foreach (var v in vector)
            norm += (double)v * v;
        var scale = (float)(1.0 / Math.Max(Math.Sqrt(norm), 1e-12));
        for (var i = 0; i < vector.Length; i++)
            vector[i] *= scale;
        return vector;
    }

    private static WordPieceTextTokenizer LoadTokenizer(OnnxEncoderOptions options)
    {
        try
        {
            return WordPieceTextTokenizer.Load(options.VocabPath, options.LowerCase);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException or IOException)
        {
            throw new InvalidOperationException($"{Key}VocabPath: {Path.GetFullPath(options.VocabPath)} is not a usable WordPiece vocabulary: {e.Message}", e);
        }
    }

    private static List<(string Name, TensorElementType Type)> Inputs(InferenceSession session, string modelPath)
    {
        var known = new[] { InputIds, AttentionMask, TokenTypeIds };
        var declared = session.InputMetadata;
        if (!declared.ContainsKey(InputIds))
            throw new InvalidOperationException($"{Key}ModelPath: {modelPath} has no {InputIds} input (it has {string.Join(", ", declared.Keys)})");
        var unknown = declared.Keys.Where(k => !known.Contains(k)).ToList();
        if (unknown.Count > 0)
            throw new InvalidOperationException($"{Key}ModelPath: {modelPath} asks for inputs this encoder cannot feed: {string.Join(", ", unknown)} (supported: {string.Join(", ", known)})");
        var inputs = new List<(string, TensorElementType)>();
        foreach (var (name, meta) in declared)
        {
            if (meta.ElementDataType is not (TensorElementType.Int64 or TensorElementType.Int32))
                throw new InvalidOperationException($"{Key}ModelPath: input {name} of {modelPath} is {meta.ElementDataType}, expected int64 or int32");
            inputs.Add((name, meta.ElementDataType));
        }
        return inputs;
    }

    private static string PickOutput(InferenceSession session, OnnxEncoderOptions options)
    {
        var outputs = session.OutputMetadata.Keys.ToList();
        if (options.OutputName is { } wanted)
            return outputs.Contains(wanted)
                ? wanted
                : throw new InvalidOperationException($"{Key}OutputName: {options.ModelPath} has no output {wanted} (it has {string.Join(", ", outputs)})");
        return PreferredOutputs.FirstOrDefault(outputs.Contains) ?? outputs[0];
    }

    private static string DerivedVersion(string modelPath)
    {
        using var stream = File.OpenRead(modelPath);
        var hash = Convert.ToHexStringLower(SHA256.HashData(stream));
        return $"onnx-{Path.GetFileNameWithoutExtension(modelPath)}-{hash[..12]}";
    }
}
