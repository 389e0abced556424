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
/// A key or value too large to fit a dead letter under the broker's message size is cut, and the
/// header <see cref="DeadLetterHeaders.OriginalValueBytes"/> or <see cref="DeadLetterHeaders.OriginalKeyBytes"/>
/// says so: the provenance still points at the whole record on its input topic.
/// </summary>
public sealed class DeadLetterPublisher(StreamSerdes serdes, IRecordPublisher publisher, TimeProvider time, string workerId)
{
    private const int MaxMessageLength = 1000;

    /// <summary>Most value bytes a dead letter carries: with the envelope it stays under Kafka's default 1 MB message limit.</summary>
    public const int MaxValueBytes = 512 * 1024;

    /// <summary>Most key bytes a dead letter carries.</summary>
    public const int MaxKeyBytes = 16 * 1024;

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
            Cut(failed.Message.Key, MaxKeyBytes),
            Cut(failed.Message.Value, MaxValueBytes),
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
        // Regression: an input record near the broker's size limit made its dead letter too large to
        // produce, and the worker stopped on "Message size too large" instead of moving on.
        if (failed.Message.Value is { Length: > MaxValueBytes } value)
            headers.Add(DeadLetterHeaders.OriginalValueBytes, Encoding.UTF8.GetBytes(value.Length.ToString(CultureInfo.InvariantCulture)));
        if (failed.Message.Key is { Length: > MaxKeyBytes } originalKey)
            headers.Add(DeadLetterHeaders.OriginalKeyBytes, Encoding.UTF8.GetBytes(originalKey.Length.ToString(CultureInfo.InvariantCulture)));
        var key = string.Create(CultureInfo.InvariantCulture, $"{failed.Topic}/{failed.Partition.Value}/{failed.Offset.Value}");
        publisher.Publish(serdes.Topics.DeadLetters, key, bytes, headers, onAcknowledged);
    }

    private static byte[]? Cut(byte[]? bytes, int max) => bytes is { } b && b.Length > max ? b[..max] : bytes;
}
