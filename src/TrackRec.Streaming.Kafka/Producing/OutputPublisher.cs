using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using TrackRec.Streaming.Kafka.Configuration;

namespace TrackRec.Streaming.Kafka.Producing;

/// <summary>
/// The one producer of a worker. Idempotent with acks=all, so broker retries never duplicate or
/// reorder; every record is produced with a callback that runs only once the broker has it, which is
/// the moment the input record's hold may be released. A delivery that fails after librdkafka's own
/// retries is fatal: the worker stops without committing, and a restart re-derives the record.
/// </summary>
public sealed class OutputPublisher : IRecordPublisher, IDisposable
{
    private readonly IProducer<string, byte[]> _producer;
    private readonly ILogger _logger;
    private readonly TaskCompletionSource<Exception> _fatal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly IReadOnlyList<KeyValuePair<string, byte[]>> _stamp;

    /// <summary>Creates the producer.</summary>
    /// <param name="options">Connection and producer settings.</param>
    /// <param name="logger">Logger.</param>
    /// <param name="stamp">Headers added to every record (a replay's job and range), so no output path can forget them.</param>
    public OutputPublisher(KafkaOptions options, ILogger<OutputPublisher> logger, IReadOnlyList<KeyValuePair<string, byte[]>>? stamp = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _stamp = stamp ?? [];
        var config = new ProducerConfig
        {
            BootstrapServers = options.BootstrapServers,
            EnableIdempotence = true,
            Acks = Acks.All,
            LingerMs = 5,
            CompressionType = CompressionType.Lz4,
            ClientId = "trackrec-worker",
        };
        foreach (var (key, value) in options.Producer)
            config.Set(key, value);
        _producer = new ProducerBuilder<string, byte[]>(config)
            .SetErrorHandler((_, error) =>
            {
                if (error.IsFatal)
                    _fatal.TrySetResult(new KafkaException(error));
                else
                    _logger.LogWarning("Producer error {Code}: {Reason}", error.Code, error.Reason);
            })
            .Build();
    }

    /// <summary>Completes with the error when output can no longer be made durable.</summary>
    public Task<Exception> Fatal => _fatal.Task;

    /// <summary>Produces a record; <paramref name="onAcknowledged"/> runs once the broker has it.</summary>
    public void Publish(string topic, string key, byte[] value, Headers? headers, Action onAcknowledged)
    {
        ArgumentNullException.ThrowIfNull(onAcknowledged);
        if (_stamp.Count > 0)
        {
            headers ??= [];
            foreach (var (name, bytes) in _stamp)
                headers.Add(name, bytes);
        }
        var message = new Message<string, byte[]> { Key = key, Value = value, Headers = headers };
        ProducerBackpressure.Produce(_producer, topic, message, report =>
        {
            if (report.Error.IsError)
            {
                _logger.LogError("Delivery to {Topic} failed: {Reason}", topic, report.Error.Reason);
                _fatal.TrySetResult(new ProduceException<string, byte[]>(report.Error, report));
                return;
            }
            onAcknowledged();
        });
    }

    /// <summary>Waits for outstanding deliveries; returns how many are still outstanding.</summary>
    public int Flush(TimeSpan timeout) => _producer.Flush(timeout);

    /// <inheritdoc />
    public void Dispose() => _producer.Dispose();
}
