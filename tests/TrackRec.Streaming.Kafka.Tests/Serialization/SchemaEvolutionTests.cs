using Avro;
using TrackRec.Streaming.Events;
using TrackRec.Streaming.Features;
using TrackRec.Streaming.Kafka.Embedded.Registry;
using TrackRec.Streaming.Kafka.Serialization;
using Xunit;

namespace TrackRec.Streaming.Tests.Serialization;

public sealed class SchemaEvolutionTests(RegistryFixture registry)
{
    private static readonly DateTimeOffset Ts = new(2025, 6, 1, 8, 0, 0, 250, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // What an early producer might have registered: no surface field yet.
    private const string ImpressionWithoutSurface = """
        {"type": "record", "name": "Impression", "namespace": "io.trackrec.streaming.v1", "fields": [
          {"name": "event_id", "type": "string"},
          {"name": "user_id", "type": "string"},
          {"name": "item_id", "type": "string"},
          {"name": "ts", "type": {"type": "long", "logicalType": "timestamp-millis"}},
          {"name": "impression_id", "type": "string"},
          {"name": "position", "type": ["null", "int"], "default": null}
        ]}
        """;

    [Fact]
    public async Task Older_writer_without_surface_decodes_with_surface_null()
    {
        var oldSchema = (RecordSchema)Schema.Parse(ImpressionWithoutSurface);
        var oldId = await registry.RegisterAsync("impressions-value", oldSchema);
        Assert.NotEqual(EmbeddedSchemaRegistry.IdOf(ContractSchemas.Impression), oldId);

        var bytes = WireFormatTests.Encode(oldSchema, r =>
        {
            r.Add("event_id", "e1");
            r.Add("user_id", "u1");
            r.Add("item_id", "i1");
            r.Add("ts", Ts.UtcDateTime);
            r.Add("impression_id", "imp1");
            r.Add("position", 4);
        });

        var current = new ContractSerdes(registry.Registry.Client).Impressions("impressions");
        var back = await current.DeserializeAsync(bytes, Ct);
        Assert.Equal(new Impression("e1", "u1", "i1", Ts, "imp1", 4, null), back);
    }

    [Fact]
    public async Task Newer_writer_with_an_extra_field_decodes_with_the_current_schema()
    {
        var json = ContractSchemas.Impression.ToString();
        var withExtra = json[..json.LastIndexOf(']')]
            + ",{\"name\":\"experiment\",\"type\":[\"null\",\"string\"],\"default\":null}]}";
        var newer = (RecordSchema)Schema.Parse(withExtra);
        await registry.RegisterAsync("impressions-value", newer);

        var bytes = WireFormatTests.Encode(newer, r =>
        {
            r.Add("event_id", "e1");
            r.Add("user_id", "u1");
            r.Add("item_id", "i1");
            r.Add("ts", Ts.UtcDateTime);
            r.Add("impression_id", "imp1");
            r.Add("position", null);
            r.Add("surface", "search");
            r.Add("experiment", "exp-42");
        });

        var back = await new ContractSerdes(registry.Registry.Client).Impressions("impressions").DeserializeAsync(bytes, Ct);
        Assert.Equal(new Impression("e1", "u1", "i1", Ts, "imp1", null, "search"), back);
    }

    [Fact]
    public async Task Older_chain_feature_writer_gets_the_defaults()
    {
        // The minimum an early feature producer could write: ids, time and source only.
        const string minimal = """
            {"type": "record", "name": "ChainFeature", "namespace": "io.trackrec.streaming.v1", "fields": [
              {"name": "impression_id", "type": "string"},
              {"name": "user_id", "type": "string"},
              {"name": "item_id", "type": "string"},
              {"name": "impression_ts", "type": {"type": "long", "logicalType": "timestamp-millis"}},
              {"name": "source", "type": {"type": "enum", "name": "ChainSource", "symbols": ["FRESH", "CACHED", "DEGRADED"]}}
            ]}
            """;
        var schema = (RecordSchema)Schema.Parse(minimal);
        await registry.RegisterAsync("features-value", schema);
        var sourceSchema = (EnumSchema)schema["source"].Schema;

        var bytes = WireFormatTests.Encode(schema, r =>
        {
            r.Add("impression_id", "imp1");
            r.Add("user_id", "u1");
            r.Add("item_id", "i1");
            r.Add("impression_ts", Ts.UtcDateTime);
            r.Add("source", new Avro.Generic.GenericEnum(sourceSchema, "CACHED"));
        });

        var back = await new ContractSerdes(registry.Registry.Client).ChainFeatures("features").DeserializeAsync(bytes, Ct);
        Assert.Equal(ChainSource.Cached, back.Source);
        Assert.Null(back.ChainId);
        Assert.Equal("", back.ChainText);
        Assert.Equal("", back.GeneratorVersion);
        Assert.Empty(back.Embedding);
        Assert.Empty(back.ExplorationCandidates);
        Assert.Null(back.ValidatorScore);
        Assert.Equal(0.0, back.GenerationLatencyMs);
    }

    [Fact]
    public async Task Unknown_chain_source_symbol_falls_back_to_degraded()
    {
        // A future producer adds a symbol; the enum default in the contract keeps old readers working.
        var json = ContractSchemas.ChainFeature.ToString().Replace(
            "\"NONE\"]", "\"NONE\",\"DISTILLED\"]", StringComparison.Ordinal);
        var future = (RecordSchema)Schema.Parse(json);
        Assert.Equal(6, ((EnumSchema)future["source"].Schema).Count);
        await registry.RegisterAsync("features-value", future);

        var bytes = WireFormatTests.Encode(future, r =>
        {
            r.Add("impression_id", "imp1");
            r.Add("user_id", "u1");
            r.Add("item_id", "i1");
            r.Add("impression_ts", Ts.UtcDateTime);
            r.Add("chain_id", null);
            r.Add("chain_text", "");
            r.Add("source", new Avro.Generic.GenericEnum((EnumSchema)future["source"].Schema, "DISTILLED"));
            r.Add("generator_version", "");
            r.Add("embedding", Array.Empty<float>());
            r.Add("validator_score", null);
            r.Add("exploration_candidates", Array.Empty<string>());
            r.Add("generation_latency_ms", 1.0);
            r.Add("prompt_embedding", Array.Empty<float>());
            foreach (var version in new[] { "reflection_version", "validator_version", "encoder_version", "explorer_version" })
                r.Add(version, "");
            r.Add("degraded_roles", Array.Empty<string>());
            r.Add("chain_age_ms", null);
        });

        var back = await new ContractSerdes(registry.Registry.Client).ChainFeatures("features").DeserializeAsync(bytes, Ct);
        Assert.Equal(ChainSource.Degraded, back.Source);
    }

    [Theory]
    [InlineData(ChainSource.Stale, "DEGRADED")]
    [InlineData(ChainSource.None, "DEGRADED")]
    [InlineData(ChainSource.Cached, "CACHED")]
    public async Task A_reader_of_the_contract_before_the_two_speed_fields_decodes_the_new_feature_record(ChainSource source, string oldSymbol)
    {
        // The contract as ranking services compiled it before STALE, NONE and chain_age_ms were added.
        var node = System.Text.Json.Nodes.JsonNode.Parse(ContractSchemas.ChainFeature.ToString())!;
        var fields = node["fields"]!.AsArray();
        fields.Remove(fields.Single(f => (string)f!["name"]! == "chain_age_ms"));
        var symbols = fields.Single(f => (string)f!["name"]! == "source")!["type"]!["symbols"]!.AsArray();
        foreach (var added in symbols.Where(s => (string)s! is "STALE" or "NONE").ToList())
            symbols.Remove(added);
        var previous = (RecordSchema)Schema.Parse(node.ToJsonString());

        var feature = new ChainFeature("imp1", "u1", "i1", Ts, "c1", "likes jazz", source, "g-1", [0.5f], 0.7, [], 0) { ChainAge = TimeSpan.FromMinutes(3) };
        var bytes = await new ContractSerdes(registry.Registry.Client).ChainFeatures("features").SerializeAsync(feature, Ct);

        // Confluent wire format: magic byte, 4-byte schema id, then the Avro body.
        var reader = new Avro.Generic.GenericDatumReader<Avro.Generic.GenericRecord>(ContractSchemas.ChainFeature, previous);
        var record = reader.Read(null!, new Avro.IO.BinaryDecoder(new MemoryStream(bytes, 5, bytes.Length - 5)));

        Assert.Equal(oldSymbol, ((Avro.Generic.GenericEnum)record["source"]).Value);
        Assert.Equal("c1", record["chain_id"]);
        Assert.False(record.TryGetValue("chain_age_ms", out _));
        Assert.Equal(0.7, record["validator_score"]);
    }

    [Fact]
    public async Task The_new_fields_round_trip()
    {
        var serde = new ContractSerdes(registry.Registry.Client).ChainFeatures("features");
        var stale = new ChainFeature("imp1", "u1", "i1", Ts, "c1", "t", ChainSource.Stale, "g", [], null, [], 0) { ChainAge = TimeSpan.FromSeconds(90) };
        var none = new ChainFeature("imp2", "u1", "i1", Ts, null, "", ChainSource.None, "", [], null, [], 0);

        var back = await serde.DeserializeAsync(await serde.SerializeAsync(stale, Ct), Ct);
        var backNone = await serde.DeserializeAsync(await serde.SerializeAsync(none, Ct), Ct);

        Assert.Equal((ChainSource.Stale, TimeSpan.FromSeconds(90)), (back.Source, back.ChainAge));
        Assert.Equal((ChainSource.None, (TimeSpan?)null), (backNone.Source, backNone.ChainAge));
    }
}
