using System.Collections.Concurrent;
using System.Net;
using System.Runtime.InteropServices;
using Avro;
using Avro.Generic;
using Avro.IO;
using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;
using TrackRec.Streaming.Events;

namespace TrackRec.Streaming.Kafka.Serialization;

/// <summary>
/// Turns one topic's values into Confluent wire-format Avro and back, over Confluent's registry client.
/// Writing registers the schema under the topic's value subject on first use, as Confluent's serializer with
/// auto-registration does, and then frames each body, written by <see cref="AvroRecordWriter"/>, with that id.
/// Reading resolves each record's writer schema, fetched by id through the same client, to this serde's reader
/// schema, so producers on older or newer compatible schemas keep working; every fault of the record itself
/// surfaces as a <see cref="RecordDecodeException"/> the dead-letter path files under its class, while registry
/// faults propagate so the record is retried. Thread-safe.
/// </summary>
/// <remarks>
/// Confluent's <see cref="AvroSerializer{T}"/> wrote the same bytes (<c>ByteCompatibilityTests</c>) but, per record,
/// built a new Avro writer, hashed the schema and its text under one lock for all threads, and let Avro's encoder
/// allocate for every float: 27.7 us and 111.5 KB per feature record with two 384-d embeddings, against 0.6 us and
/// 3.7 KB now (<c>FeatureSerdeBenchmarks</c>, docs/performance.md).
/// Confluent's <see cref="AvroDeserializer{T}"/> is not used for reading: for generic records it reads in the
/// writer's schema (no reader schema to resolve to), accepts trailing bytes, and its exceptions do not separate
/// an unknown id from a garbled body from a registry outage, which the dead-letter classes must.
/// </remarks>
public sealed class AvroSerde<T>
{
    private readonly ISchemaRegistryClient _registry;
    private readonly RecordSchema _schema;
    private readonly IAvroMapper<T> _mapper;
    private readonly AvroRecordWriter _writer;
    // The id the schema is registered under: one registration, shared by every caller; a failed one is tried again.
    private Task<int>? _schemaId;
    // Preresolved readers hold no per-read state, so one per writer schema id serves all threads.
    private readonly ConcurrentDictionary<int, GenericDatumReader<GenericRecord>> _readers = new();

    /// <summary>
    /// Creates a serde for <paramref name="topic"/> that writes and reads with <paramref name="readerSchema"/>
    /// (registered under the topic's value subject on first write).
    /// </summary>
    public AvroSerde(ISchemaRegistryClient registry, Avro.Schema readerSchema, IAvroMapper<T> mapper, string topic)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(readerSchema);
        ArgumentNullException.ThrowIfNull(mapper);
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        _registry = registry;
        _schema = readerSchema as RecordSchema
            ?? throw new ArgumentException($"reader schema must be a record schema, not {readerSchema.Tag}", nameof(readerSchema));
        _mapper = mapper;
        _writer = new AvroRecordWriter(_schema);
        Topic = topic;
        Subject = SubjectNames.ForValue(topic);
    }

    /// <summary>The topic whose values this serde handles.</summary>
    public string Topic { get; }

    /// <summary>The registry subject the schema is registered under (<c>{topic}-value</c>).</summary>
    public string Subject { get; }

    /// <summary>The schema values are written with and decoded to.</summary>
    public RecordSchema Schema => _schema;

    /// <summary>
    /// Encodes <paramref name="value"/> in wire format. Behaviour events and catalog items are validated first
    /// (throwing <see cref="EventValidationException"/>), so we never publish what we would reject on read.
    /// </summary>
    public ValueTask<byte[]> SerializeAsync(T value, CancellationToken ct)
    {
        try
        {
            ArgumentNullException.ThrowIfNull(value);
            Validate(value);
            var record = _mapper.ToRecord(value, _schema);
            var schemaId = SchemaIdAsync();
            // After the first record the id is known and nothing here awaits.
            return schemaId.IsCompletedSuccessfully
                ? ValueTask.FromResult(Write(record, schemaId.Result))
                : WriteAfterAsync(record, schemaId, ct);
        }
        catch (Exception e)
        {
            // Faults arrive through the returned task, as they did when this method was async.
            return ValueTask.FromException<byte[]>(e);
        }
    }

    private async ValueTask<byte[]> WriteAfterAsync(GenericRecord record, Task<int> schemaId, CancellationToken ct) =>
        Write(record, await schemaId.WaitAsync(ct).ConfigureAwait(false));

    private byte[] Write(GenericRecord record, int schemaId)
    {
        try
        {
            return _writer.Serialize(record, schemaId);
        }
        catch (AvroException e)
        {
            throw new InvalidOperationException(
                $"cannot encode {typeof(T).Name} for topic '{Topic}' with {_schema.Fullname}: {e.Message}", e);
        }
    }

    // Registered as Confluent's serializer registers it (the schema's own text under the topic's value subject), so
    // the id is the one it would have framed the record with. Registering an existing schema returns its id.
    private Task<int> SchemaIdAsync()
    {
        var current = Volatile.Read(ref _schemaId);
        if (current is not null && !current.IsFaulted && !current.IsCanceled)
            return current;
        var next = _registry.RegisterSchemaAsync(Subject, new Confluent.SchemaRegistry.Schema(_schema.ToString(), SchemaType.Avro));
        return Interlocked.CompareExchange(ref _schemaId, next, current) == current ? next : Volatile.Read(ref _schemaId)!;
    }

    /// <summary>
    /// Decodes a wire-format value. Throws a <see cref="RecordDecodeException"/> subclass for anything wrong with
    /// the record itself; registry outages (<see cref="SchemaRegistryException"/> other than not-found, HTTP
    /// errors) and cancellation propagate unchanged because retrying them can succeed.
    /// </summary>
    public async ValueTask<T> DeserializeAsync(ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        var (schemaId, body) = AvroWireFormat.Read(data);
        var reader = await ReaderForAsync(schemaId, ct).ConfigureAwait(false);

        T value;
        try
        {
            using var stream = AsStream(body);
            var record = reader.Read(null!, new BinaryDecoder(stream));
            if (stream.Position != stream.Length)
            {
                // The writer schema accounts for every byte it wrote; leftovers mean the body is not what the id says.
                throw new InvalidDataException($"{stream.Length - stream.Position} bytes left over after the record");
            }

            value = _mapper.FromRecord(record);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new AvroDecodeException(
                $"cannot decode {_schema.Fullname} from topic '{Topic}' (writer schema id {schemaId}): {e.Message}", e);
        }

        try
        {
            Validate(value);
        }
        catch (EventValidationException e)
        {
            throw new InvalidEventException(e);
        }

        return value;
    }

    private async ValueTask<GenericDatumReader<GenericRecord>> ReaderForAsync(int schemaId, CancellationToken ct)
    {
        if (_readers.TryGetValue(schemaId, out var reader))
            return reader;

        var writerSchema = await WriterSchemaAsync(schemaId, ct).ConfigureAwait(false);
        try
        {
            reader = new GenericDatumReader<GenericRecord>(writerSchema, _schema);
        }
        catch (Exception e)
        {
            throw new AvroDecodeException(
                $"writer schema id {schemaId} ({writerSchema.Fullname}) cannot be read as {_schema.Fullname}: {e.Message}", e);
        }

        return _readers.GetOrAdd(schemaId, reader);
    }

    private async Task<Avro.Schema> WriterSchemaAsync(int schemaId, CancellationToken ct)
    {
        Confluent.SchemaRegistry.Schema registered;
        try
        {
            // The client caches by id, so only a record's first sight of a schema costs a request.
            registered = await _registry.GetSchemaBySubjectAndIdAsync(Subject, schemaId).WaitAsync(ct).ConfigureAwait(false);
        }
        catch (SchemaRegistryException e) when (e.Status == HttpStatusCode.NotFound)
        {
            throw new UnknownSchemaException(schemaId, $"schema id {schemaId} is not known to the schema registry: {e.Message}", e);
        }

        // The registry also stores Protobuf and JSON schemas; a record pointing at one is not ours to read.
        if (registered.SchemaType != SchemaType.Avro)
            throw new UnknownSchemaException(schemaId, $"schema id {schemaId} is a {registered.SchemaType} schema, not Avro");
        try
        {
            return Avro.Schema.Parse(registered.SchemaString);
        }
        catch (Exception e)
        {
            // Avro reports malformed JSON with Newtonsoft's exceptions, not only its own.
            throw new UnknownSchemaException(schemaId, $"schema id {schemaId} does not parse as Avro: {e.Message}", e);
        }
    }

    private static MemoryStream AsStream(ReadOnlyMemory<byte> body) =>
        MemoryMarshal.TryGetArray(body, out var segment) && segment.Array is not null
            ? new MemoryStream(segment.Array, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(body.ToArray(), writable: false);

    private static void Validate(T value)
    {
        switch (value)
        {
            case BehaviourEvent e:
                EventValidator.Validate(e);
                break;
            case CatalogItem item:
                EventValidator.Validate(item);
                break;
        }
    }
}
