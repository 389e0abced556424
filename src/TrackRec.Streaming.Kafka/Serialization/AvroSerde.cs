using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Avro;
using Avro.Generic;
using Avro.IO;
using TrackRec.Streaming.Events;

namespace TrackRec.Streaming.Kafka.Serialization;

/// <summary>
/// Turns one topic's values into Confluent wire-format Avro and back. Reading resolves each record's writer
/// schema to this serde's reader schema, so producers on older or newer compatible schemas keep working,
/// and every decode failure surfaces as a <see cref="RecordDecodeException"/> the dead-letter path can file.
/// Thread-safe.
/// </summary>
public sealed class AvroSerde<T>
{
    private readonly ISchemaRegistry _registry;
    private readonly RecordSchema _schema;
    private readonly IAvroMapper<T> _mapper;
    private readonly GenericDatumWriter<GenericRecord> _writer;
    // Preresolved readers hold no per-read state, so one per writer schema id serves all threads.
    private readonly ConcurrentDictionary<int, GenericDatumReader<GenericRecord>> _readers = new();
    // -1 until registered; an int so readers on other threads never see a torn value.
    private int _schemaId = -1;

    /// <summary>
    /// Creates a serde for <paramref name="topic"/> that writes and reads with <paramref name="readerSchema"/>
    /// (registered under the topic's value subject on first write).
    /// </summary>
    public AvroSerde(ISchemaRegistry registry, Schema readerSchema, IAvroMapper<T> mapper, string topic)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(readerSchema);
        ArgumentNullException.ThrowIfNull(mapper);
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        _registry = registry;
        _schema = readerSchema as RecordSchema
            ?? throw new ArgumentException($"reader schema must be a record schema, not {readerSchema.Tag}", nameof(readerSchema));
        _mapper = mapper;
        _writer = new GenericDatumWriter<GenericRecord>(_schema);
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
    public async ValueTask<byte[]> SerializeAsync(T value, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(value);
        Validate(value);
        var record = _mapper.ToRecord(value, _schema);

        var schemaId = Volatile.Read(ref _schemaId);
        if (schemaId < 0)
        {
            // A race only registers twice, which registries treat as idempotent.
            schemaId = await _registry.RegisterAsync(Subject, _schema, ct).ConfigureAwait(false);
            Volatile.Write(ref _schemaId, schemaId);
        }

        using var buffer = new MemoryStream();
        buffer.Write(stackalloc byte[AvroWireFormat.HeaderLength]);
        AvroWireFormat.WriteHeader(buffer.GetBuffer(), schemaId);
        try
        {
            _writer.Write(record, new BinaryEncoder(buffer));
        }
        catch (AvroException e)
        {
            throw new InvalidOperationException(
                $"cannot encode {typeof(T).Name} for topic '{Topic}' with {_schema.Fullname}: {e.Message}", e);
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// Decodes a wire-format value. Throws a <see cref="RecordDecodeException"/> subclass for anything wrong with
    /// the record itself; registry outages (<see cref="SchemaRegistryException"/>, HTTP errors) and cancellation
    /// propagate unchanged because retrying them can succeed.
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

        var writerSchema = await _registry.GetSchemaAsync(schemaId, ct).ConfigureAwait(false);
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
