namespace TrackRec.Streaming.Cli.Dev;

/// <summary>
/// What `trackrec dev` prints once it is up: the addresses, the topics, and commands to paste into another
/// terminal (kcat, a Python consumer that decodes the features, a second worker, a replay). The lines that
/// start with "bootstrap" and "registry" are also what scripts and tests read.
/// </summary>
internal static class DevInstructions
{
    public static string Render(DevStack stack, DevOptions options)
    {
        var bootstrap = stack.BootstrapServers;
        var registry = stack.Registry.Url.ToString().TrimEnd('/');
        var features = stack.Topics.Features;
        var models = Path.GetFullPath(options.ModelDirectory);
        return $$"""
            trackrec dev is up; Ctrl-C stops it (worker, Kafka, registry).
              bootstrap  {{bootstrap}}
              registry   {{registry}}
              topics     {{string.Join(", ", stack.AllTopics)}} ({{options.Partitions}} partitions each)

            Raw records (Confluent wire format: magic 0, schema id, Avro):
              kcat -b {{bootstrap}} -t {{features}} -C -c 5 -e -f 'key %k, partition %p, offset %o, %S bytes\n'

            Decoded features in Python (Debian: apt-get install python3-confluent-kafka python3-avro):
            python3 - <<'PY'
            import io, json, struct, urllib.request
            import avro.io, avro.schema
            from confluent_kafka import Consumer

            REGISTRY = "{{registry}}"
            readers = {}

            def decode(raw):
                magic, schema_id = struct.unpack(">bI", raw[:5])
                if schema_id not in readers:
                    with urllib.request.urlopen(f"{REGISTRY}/schemas/ids/{schema_id}") as r:
                        readers[schema_id] = avro.io.DatumReader(avro.schema.parse(json.load(r)["schema"]))
                return readers[schema_id].read(avro.io.BinaryDecoder(io.BytesIO(raw[5:])))

            c = Consumer({"bootstrap.servers": "{{bootstrap}}", "group.id": "py-features", "auto.offset.reset": "earliest"})
            c.subscribe(["{{features}}"])
            seen = 0
            while seen < 5:
                m = c.poll(10)
                if m is None or m.error():
                    continue
                f = decode(m.value())
                print(m.key().decode(), f["user_id"], f["item_id"], f["source"], f["validator_score"], f["chain_text"][:60])
                seen += 1
            c.close()
            PY

            Schemas: curl {{registry}}/subjects   curl {{registry}}/schemas/ids/ID

            A second worker (joins the group and takes over partitions):
              trackrec run --set TrackRec:Kafka:BootstrapServers={{bootstrap}} --set TrackRec:Kafka:SchemaRegistryUrl={{registry}} --set TrackRec:Models:Directory={{models}} --set TrackRec:Health:Port=0
            A replay into the sandbox topics ({{features}}.replay, ...):
              trackrec replay --job dev-1 --from 2000-01-01T00:00:00Z --to 2100-01-01T00:00:00Z --warmup 0 --time-index scan --models {{models}} --set TrackRec:Kafka:BootstrapServers={{bootstrap}} --set TrackRec:Kafka:SchemaRegistryUrl={{registry}}
            """;
    }
}
