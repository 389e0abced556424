using System.Collections.Concurrent;
using TrackRec.Streaming.Chains;

namespace TrackRec.Streaming.Models.Onnx;

/// <summary>
/// Remembers a deterministic encoder's vectors by text, about <see cref="Capacity"/> texts at most. A frozen
/// pretrained encoder is the costly part of the encoder role, and the same texts come back often: a claim
/// policy's chain texts repeat, and an evaluation embeds the same prompts and item texts in every round and
/// seed. Past the bound it forgets the texts least recently asked for (two generations: when the newer one
/// holds half the capacity it becomes the older and the old one goes; a hit in the older one moves the text
/// up). It used to stop remembering when full, which kept a long-running worker's first prompts forever
/// while its prompts never repeat. Texts are encoded one at a time, so a vector never depends on its batch
/// or on what the cache forgot. The vectors handed out are copies, so a caller cannot change the cache.
/// </summary>
public sealed class CachingTextEncoder(IChainEncoder inner, int capacity = 200_000) : IChainEncoder
{
    private readonly IChainEncoder _inner = inner ?? throw new ArgumentNullException(nameof(inner));
    private readonly ConcurrentDictionary<string, Lazy<Task<float[]>>> _pending = new(StringComparer.Ordinal);
    private readonly Lock _rotation = new();
    private ConcurrentDictionary<string, float[]> _recent = new(StringComparer.Ordinal);
    private ConcurrentDictionary<string, float[]> _older = new(StringComparer.Ordinal);
    private int _capacity = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "must be positive");

    /// <summary>Texts kept at most; may be changed while in use (a host sizes the shared cache to its memory).</summary>
    public int Capacity
    {
        get => Volatile.Read(ref _capacity);
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            Volatile.Write(ref _capacity, value);
        }
    }

    /// <summary>Texts remembered.</summary>
    public int Count => Volatile.Read(ref _recent).Count + Volatile.Read(ref _older).Count;

    /// <inheritdoc />
    public string Version => _inner.Version;

    /// <inheritdoc />
    public int Dimension => _inner.Dimension;

    /// <inheritdoc />
    public async Task<IReadOnlyList<float[]>> EncodeAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var result = new float[texts.Count][];
        var missing = new List<int>();
        for (var i = 0; i < texts.Count; i++)
            if (TryRecall(texts[i], out var known))
                result[i] = (float[])known.Clone();
            else
                missing.Add(i);
        if (missing.Count == 0)
            return result;
        // One text per inner call: in a batch a text is padded to its longest neighbour, which may change the
        // last float bits, and which call first meets a text depends on thread timing; so a remembered vector
        // must not depend on the texts it came with, or the same seed would not give the same numbers.
        // Independent texts, so they are spread over the cores.
        var byText = new ConcurrentDictionary<string, float[]>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(missing.Select(i => texts[i]).Distinct(StringComparer.Ordinal), new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken },
            async (text, token) => byText[text] = await EncodeOnceAsync(text, token).ConfigureAwait(false)).ConfigureAwait(false);
        foreach (var i in missing)
            result[i] = (float[])byText[texts[i]].Clone();
        return result;
    }

    // A text that callers ask for at the same time (seeds evaluated side by side meet the same prompts) is
    // encoded once: later callers wait for the first one's vector. The shared encoding does not take a caller's
    // token, so one caller giving up does not fail the others; it only stops waiting.
    private async Task<float[]> EncodeOnceAsync(string text, CancellationToken cancellationToken)
    {
        var pending = _pending.GetOrAdd(text, t => new Lazy<Task<float[]>>(() => EncodeAndKeepAsync(t)));
        return await pending.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<float[]> EncodeAndKeepAsync(string text)
    {
        try
        {
            // A vector is kept before its pending entry goes, so a caller that finds no pending entry finds it here.
            if (TryRecall(text, out var known))
                return known;
            var vector = (await _inner.EncodeAsync([text], CancellationToken.None).ConfigureAwait(false))[0];
            Keep(text, (float[])vector.Clone());
            return vector;
        }
        finally
        {
            _pending.TryRemove(text, out _);
        }
    }

    private bool TryRecall(string text, out float[] vector)
    {
        if (Volatile.Read(ref _recent).TryGetValue(text, out vector!))
            return true;
        if (!Volatile.Read(ref _older).TryGetValue(text, out vector!))
            return false;
        Keep(text, vector);
        return true;
    }

    private void Keep(string text, float[] vector)
    {
        lock (_rotation)
        {
            _recent[text] = vector;
            if (_recent.Count < Math.Max(1, Capacity / 2))
                return;
            Volatile.Write(ref _older, _recent);
            Volatile.Write(ref _recent, new ConcurrentDictionary<string, float[]>(StringComparer.Ordinal));
        }
    }
}
