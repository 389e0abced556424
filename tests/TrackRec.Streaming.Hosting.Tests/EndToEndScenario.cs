using Confluent.Kafka;
using Confluent.SchemaRegistry;
using TrackRec.Streaming.Events;
using TrackRec.Streaming.Kafka.Configuration;
using TrackRec.Streaming.Kafka.DeadLetters;
using TrackRec.Streaming.Kafka.Serialization;
using TrackRec.Streaming.Inputs;
using Xunit;
using TrackRec.Streaming.Kafka.Embedded.Registry;

namespace TrackRec.Streaming.Tests.Hosting;

/// <summary>
/// Test 1's scenario, shared by the embedded cluster and registry and the Testcontainers broker and registry: a small simulated
/// stream with seeded malformed records, one bounded worker run, then the output topics read whole.
/// </summary>
internal static class EndToEndScenario
{
    /// <summary>
    /// Runs the scenario on <paramref name="bootstrap"/>, with the registry at <paramref name="registryUrl"/> or, if null,
    /// an embedded one; <paramref name="registrySettings"/> go to the test's client and, as TrackRec:Kafka:SchemaRegistry:*,
    /// to the worker.
    /// </summary>
    public static async Task RunAsync(string bootstrap, string groupId, Uri? registryUrl = null, IReadOnlyDictionary<string, string>? registrySettings = null)
    {
        await using var embedded = registryUrl is null ? await EmbeddedSchemaRegistry.StartAsync(cancellationToken: WorkerHarness.Ct) : null;
        var url = registryUrl ?? embedded!.Url;
        registrySettings ??= new Dictionary<string, string>();
        var config = new SchemaRegistryConfig { Url = url.ToString() };
        foreach (var (key, value) in registrySettings)
            config.Set(SchemaRegistrySettings.PropertyName(key), value);
        using var registry = new CachedSchemaRegistryClient(config);
        var serdes = new StreamSerdes(registry, WorkerHarness.Topics);
        var stream = StreamSimulator.Generate(new SimulatorOptions { Seed = 7, Users = 30, ImpressionsPerUser = 10 });
        var impressionIds = stream.Events.OfType<Impression>().Select(i => i.ImpressionId).ToHashSet();
        Assert.Equal(300, impressionIds.Count);

        var malformed = await WorkerHarness.ProduceAsync(bootstrap, registry, stream, malformedShare: 0.05, seed: 7);
        Assert.True(malformed > 0, "the seed should inject some malformed records");

        using var host = WorkerHarness.BuildHost(bootstrap, url, groupId, stopAtEnd: true, workerId: "e2e",
            registrySettings.ToDictionary(kv => "TrackRec:Kafka:SchemaRegistry:" + kv.Key, kv => (string?)kv.Value));
        await WorkerHarness.RunBoundedAsync(host, TimeSpan.FromSeconds(30));

        // Exactly one feature and one outcome per impression, keyed by its id.
        var features = WorkerHarness.ReadTopic(bootstrap, WorkerHarness.Topics.Features);
        AssertExactlyOnePerImpression(features, impressionIds, "features");
        foreach (var record in features)
            Assert.Equal(WorkerHarness.KeyOf(record), (await serdes.Features.DeserializeAsync(record.Message.Value!, WorkerHarness.Ct)).ImpressionId);

        var outcomes = WorkerHarness.ReadTopic(bootstrap, WorkerHarness.Topics.Outcomes);
        AssertExactlyOnePerImpression(outcomes, impressionIds, "outcomes");
        foreach (var record in outcomes)
            Assert.Equal(WorkerHarness.KeyOf(record), (await serdes.Outcomes.DeserializeAsync(record.Message.Value!, WorkerHarness.Ct)).ImpressionId);

        // One dead letter per injected malformed record, each pointing at the untouched source bytes.
        var deadLetters = WorkerHarness.ReadTopic(bootstrap, WorkerHarness.Topics.DeadLetters);
        Assert.Equal(malformed, deadLetters.Count);
        var inputs = new Dictionary<(string Topic, int Partition, long Offset), byte[]?>();
        foreach (var topic in WorkerHarness.Topics.BehaviourInputs)
        {
            foreach (var record in WorkerHarness.ReadTopic(bootstrap, topic))
                inputs[(record.Topic, record.Partition.Value, record.Offset.Value)] = record.Message.Value;
        }

        var provenance = new HashSet<(string, int, long)>();
        foreach (var letter in deadLetters)
        {
            var topic = Header(letter, DeadLetterHeaders.SourceTopic);
            var partition = int.Parse(Header(letter, DeadLetterHeaders.SourcePartition), System.Globalization.CultureInfo.InvariantCulture);
            var offset = long.Parse(Header(letter, DeadLetterHeaders.SourceOffset), System.Globalization.CultureInfo.InvariantCulture);
            Assert.False(string.IsNullOrEmpty(Header(letter, DeadLetterHeaders.ErrorClass)));
            Assert.False(string.IsNullOrEmpty(Header(letter, DeadLetterHeaders.ErrorMessage)));
            Assert.Equal($"{topic}/{partition}/{offset}", WorkerHarness.KeyOf(letter));
            Assert.True(inputs.TryGetValue((topic, partition, offset), out var raw), $"dead letter names {topic}/{partition}/{offset}, which is not an input record");
            Assert.True(provenance.Add((topic, partition, offset)), $"two dead letters for {topic}/{partition}/{offset}");

            // The dead letter's value is the Avro envelope; its payload must be the source's raw bytes.
            var envelope = await serdes.DeadLetters.DeserializeAsync(letter.Message.Value!, WorkerHarness.Ct);
            Assert.Equal((topic, partition, offset), (envelope.SourceTopic, envelope.SourcePartition, envelope.SourceOffset));
            Assert.Equal(raw, envelope.Value);
            var input = WorkerHarness.Topics.BehaviourInputs.ToList().IndexOf(topic);
            await Assert.ThrowsAnyAsync<RecordDecodeException>(async () => await serdes.DecodeBehaviourAsync(input, raw, WorkerHarness.Ct));
        }
    }

    private static void AssertExactlyOnePerImpression(List<ConsumeResult<byte[]?, byte[]?>> records, HashSet<string> impressionIds, string what)
    {
        var keys = records.Select(WorkerHarness.KeyOf).ToList();
        var duplicates = keys.GroupBy(k => k).Where(g => g.Count() > 1).Select(g => $"{g.Key} x{g.Count()}").ToList();
        Assert.True(duplicates.Count == 0, $"{what}: duplicated keys {string.Join(", ", duplicates.Take(10))}");
        var missing = impressionIds.Except(keys).ToList();
        Assert.True(missing.Count == 0, $"{what}: {missing.Count} impressions missing, e.g. {string.Join(", ", missing.Take(10))}");
        var unknown = keys.Except(impressionIds).ToList();
        Assert.True(unknown.Count == 0, $"{what}: keys that are no impression: {string.Join(", ", unknown.Take(10))}");
    }

    private static string Header(ConsumeResult<byte[]?, byte[]?> record, string name) =>
        record.Message.Headers.TryGetLastBytes(name, out var bytes)
            ? System.Text.Encoding.UTF8.GetString(bytes)
            : throw new Xunit.Sdk.XunitException($"dead letter {WorkerHarness.KeyOf(record)} lacks header {name}");
}
