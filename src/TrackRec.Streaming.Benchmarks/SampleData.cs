using TrackRec.Streaming.Catalog;
using TrackRec.Streaming.Events;
using TrackRec.Streaming.Features;
using TrackRec.Streaming.UserState;

namespace TrackRec.Streaming.Benchmarks;

/// <summary>Records shaped like the worker's (MovieLens-like ids, a 50-event history, a chain with embeddings).</summary>
internal static class SampleData
{
    // all-MiniLM-L6-v2's width: the worker's default encoder.
    public const int EmbeddingDimension = 384;

    public static Impression Impression(int i) =>
        new($"evt-{i}", $"user-{i % 600}", $"item-{i % 9000}", DateTimeOffset.UnixEpoch.AddSeconds(i), $"imp-{i}");

    public static ChainFeature Feature()
    {
        var random = new Random(1);
        var embedding = Enumerable.Range(0, EmbeddingDimension).Select(_ => (float)random.NextDouble()).ToArray();
        return new ChainFeature(
            "imp-123456", "user-42", "item-1234", DateTimeOffset.UnixEpoch.AddDays(20_000), "user-42:57:generator-v1",
            "The user rates dramas and war films highly, recently rewatching classics; comedy is rare and rated low.",
            ChainSource.Cached, "generator-v1", embedding, 0.62, ["Documentary", "Film-Noir", "Western"], 0.4)
        {
            PromptEmbedding = embedding.Reverse().ToArray(),
        };
    }

    public static ItemCatalog Catalog(int items)
    {
        var catalog = new ItemCatalog();
        string[] genres = ["Drama", "Comedy", "War", "Action", "Romance", "Thriller"];
        for (var i = 0; i < items; i++)
            catalog.Upsert(new CatalogItem($"item-{i}", $"Title of movie {i} (19{i % 100:D2})", [genres[i % genres.Length], genres[(i / 7) % genres.Length]]));
        return catalog;
    }

    public static UserHistory History(int length)
    {
        var history = new UserHistory("user-42", length, 20);
        for (var i = 0; i < length; i++)
            history.Absorb(Impression(i) with { UserId = "user-42" });
        for (var i = 0; i < 20; i++)
            history.Remember(new LabelledOutcome($"imp-{i}", $"item-{i}", i % 3 == 0, DateTimeOffset.UnixEpoch.AddSeconds(i)));
        return history;
    }
}
