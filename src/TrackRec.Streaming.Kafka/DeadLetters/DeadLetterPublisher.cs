using System.Globalization;
using System.Text;
using Confluent.Kafka;
using TrackRec.Streaming.Kafka.Consuming;
using TrackRec.Streaming.Kafka.Producing;
using TrackRec.Streaming.Kafka.Serialization;

namespace TrackRec.Streaming.Kafka.DeadLetters;

/// <summary>
/// Parks a record the worker cannot use on the dead-letter topic, bytes untouched, with its provenance
/// in headers and in the envelope, so its partition moves on and nothing is lost. The key is the
/// record's coordinates, so re-reading the same bad record after a restart duplicates nothing.
/// </summary>
public sealed class DeadLetterPublisher(StreamSerdes serdes, OutputPublisher publisher, TimeProvider time, string workerId)
{
    private const int MaxMessageLength = 1000;

    /// <summary>Publishes the dead letter; <paramref name="onAcknowledged"/> runs once it is durable.</summary>
    public async Task PublishAsync(ConsumeResult<byte[]?, byte[]?> failed, string errorClass, string message, Action onAcknowledged, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(failed);
        var text = message.Length > MaxMessageLength ? message[..MaxMessageLength] : message;
        var letter = new DeadLetter(
            failed.Topic,
            failed.Partition.Value,
            failed.Offset.Value,
            KafkaTimestamps.ToDateTimeOffset(failed.Message.Timestamp),
            failed.Message.Key,
            failed.Message.Value,
            errorClass,
            text,
            time.GetUtcNow(),
            workerId);
        var bytes = await serdes.DeadLetters.SerializeAsync(letter, cancellationToken).ConfigureAwait(false);
        var headers = new Headers
        {
            { DeadLetterHeaders.SourceTopic, Encoding.UTF8.GetBytes(failed.Topic) },
            { DeadLetterHeaders.SourcePartition, Encoding.UTF8.GetBytes(failed.Partition.Value.ToString(CultureInfo.InvariantCulture)) },
            { DeadLetterHeaders.SourceOffset, Encoding.UTF8.GetBytes(failed.Offset.Value.ToString(CultureInfo.InvariantCulture)) },
            { DeadLetterHeaders.ErrorClass, Encoding.UTF8.GetBytes(errorClass) },
            { DeadLetterHeaders.ErrorMessage, Encoding.UTF8.GetBytes(text) },
        };
        var key = string.Create(CultureInfo.InvariantCulture, $"{failed.Topic}/{failed.Partition.Value}/{failed.Offset.Value}");
        publisher.Publish(serdes.Topics.DeadLetters, key, bytes, headers, onAcknowledged);
    }
}
