using System.Diagnostics;
using System.Text;
using Confluent.Kafka;
using TrackRec.Streaming.Diagnostics;

namespace TrackRec.Streaming.Kafka.Diagnostics;

/// <summary>
/// W3C trace context carried in Kafka record headers (`traceparent`, `tracestate`), as OpenTelemetry's messaging
/// conventions place it: the producer's span context, which the worker's spans link to.
/// </summary>
public static class TraceContextHeaders
{
    /// <summary>Header with the W3C traceparent.</summary>
    public const string TraceParent = "traceparent";

    /// <summary>Header with the W3C tracestate.</summary>
    public const string TraceState = "tracestate";

    /// <summary>Marks <paramref name="record"/> as the one being processed (see <see cref="StreamActivities.EnterRecord"/>) until disposed.</summary>
    public static IDisposable EnterRecord(ConsumeResult<byte[]?, byte[]?> record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return StreamActivities.EnterRecord(Extract(record.Message.Headers), record.Topic, record.Partition.Value, record.Offset.Value);
    }

    /// <summary>The producer's context from <paramref name="headers"/>; default when absent or malformed.</summary>
    public static ActivityContext Extract(Headers? headers)
    {
        if (headers is null || !headers.TryGetLastBytes(TraceParent, out var parent))
            return default;
        var state = headers.TryGetLastBytes(TraceState, out var s) ? Encoding.ASCII.GetString(s) : null;
        return ActivityContext.TryParse(Encoding.ASCII.GetString(parent), state, out var context) ? context : default;
    }
}
