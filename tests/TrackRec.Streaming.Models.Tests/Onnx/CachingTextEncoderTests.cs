using TrackRec.Streaming.Chains;
using TrackRec.Streaming.Models.Onnx;

namespace TrackRec.Streaming.Tests.Onnx;

/// <summary>The cache in front of the frozen encoder: each text encoded once, copies handed out, a bound kept by forgetting the least recently asked for.</summary>
public sealed class CachingTextEncoderTests
{
    // The cache encodes the texts it lacks in parallel, so what this encoder saw is compared in sorted order.
    private sealed class CountingEncoder : IChainEncoder
    {
        private readonly Lock _gate = new();
        private readonly List<string> _seen = [];

        public List<string> Seen
        {
            get
            {
                lock (_gate)
                    return [.. _seen.Order(StringComparer.Ordinal)];
            }
        }

        public string Version => "counting";
        public int Dimension => 2;

        public Task<IReadOnlyList<float[]>> EncodeAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
        {
            lock (_gate)
                _seen.AddRange(texts);
            return Task.FromResult<IReadOnlyList<float[]>>(texts.Select(t => new float[] { t.Length, 1 }).ToList());
        }
    }

    [Fact]
    public async Task Each_text_is_encoded_once_and_answers_keep_their_order()
    {
        var inner = new CountingEncoder();
        var cache = new CachingTextEncoder(inner);
        var ct = TestContext.Current.CancellationToken;

        var first = await cache.EncodeAsync(["aa", "b", "aa"], ct);
        var second = await cache.EncodeAsync(["ccc", "b"], ct);

        Assert.Equal(["aa", "b", "ccc"], inner.Seen);
        Assert.Equal([2f, 1f, 2f], first.Select(v => v[0]));
        Assert.Equal([3f, 1f], second.Select(v => v[0]));
        first[1][0] = 99; // a caller's change does not reach the cache
        Assert.Equal(1f, (await cache.EncodeAsync(["b"], ct))[0][0]);
    }

    [Fact]
    public async Task Past_its_capacity_it_forgets_the_text_least_recently_asked_for()
    {
        var inner = new CountingEncoder();
        var cache = new CachingTextEncoder(inner, capacity: 4);
        var ct = TestContext.Current.CancellationToken;

        await cache.EncodeAsync(["a"], ct);
        await cache.EncodeAsync(["b"], ct);
        await cache.EncodeAsync(["a"], ct); // remembered, and now the more recent of the two
        await cache.EncodeAsync(["c"], ct);
        await cache.EncodeAsync(["d"], ct);
        await cache.EncodeAsync(["a"], ct);
        await cache.EncodeAsync(["b"], ct); // forgotten: encoded again

        Assert.Equal(["a", "b", "b", "c", "d"], inner.Seen);
    }

    [Fact]
    public async Task It_never_holds_more_than_its_capacity_even_when_lowered_in_use()
    {
        var cache = new CachingTextEncoder(new CountingEncoder(), capacity: 100);
        var ct = TestContext.Current.CancellationToken;
        var counts = new List<int>();

        for (var i = 0; i < 300; i++)
        {
            if (i == 150)
                cache.Capacity = 10;
            await cache.EncodeAsync([$"text {i}"], ct);
            counts.Add(cache.Count);
        }

        Assert.True(counts.Take(150).Max() <= 100, $"held {counts.Take(150).Max()} of 100");
        Assert.True(counts.Skip(160).Max() <= 10, $"held {counts.Skip(160).Max()} of 10");
        Assert.True(counts[^1] > 0);
        Assert.Throws<ArgumentOutOfRangeException>(() => cache.Capacity = 0);
    }

    // Holds every encoding until released, and says when the first has begun.
    private sealed class GatedEncoder : IChainEncoder
    {
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _calls;

        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public int Calls => Volatile.Read(ref _calls);
        public string Version => "gated";
        public int Dimension => 1;

        public void Release() => _release.SetResult();

        public async Task<IReadOnlyList<float[]>> EncodeAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            Started.TrySetResult();
            await _release.Task;
            return texts.Select(t => new float[] { t.Length }).ToList();
        }
    }

    [Fact]
    public async Task Callers_asking_for_a_text_that_is_being_encoded_wait_for_that_encoding()
    {
        var inner = new GatedEncoder();
        var cache = new CachingTextEncoder(inner);
        var ct = TestContext.Current.CancellationToken;

        var first = cache.EncodeAsync(["prompt"], ct);
        await inner.Started.Task.WaitAsync(ct);
        var others = Enumerable.Range(0, 4).Select(_ => cache.EncodeAsync(["prompt"], ct)).ToList();
        inner.Release();
        var answers = await Task.WhenAll(others.Prepend(first));

        Assert.Equal(1, inner.Calls);
        Assert.All(answers, a => Assert.Equal(6f, a[0][0]));
        answers[0][0][0] = 99; // every caller has its own copy
        Assert.Equal(6f, answers[1][0][0]);
    }
}
