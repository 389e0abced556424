using System.Diagnostics;

namespace TrackRec.Streaming.Diagnostics;

/// <summary>
/// The worker's spans, on one ActivitySource named <see cref="SourceName"/> (beside the Meter of
/// <see cref="StreamMetrics"/>): one per chain generation and one per training-batch write, each linked to the
/// trace context of the input record that caused it (OpenTelemetry messaging conventions: a consumer links to
/// the producer's context, carried in the record's `traceparent` header). With no listener (no OTLP endpoint
/// configured) StartActivity returns null and nothing is allocated. The Kafka layer says which record is being
/// processed (<see cref="EnterRecord"/>); exporters are wired in the host (Hosting/Telemetry).
/// </summary>
public static class StreamActivities
{
    /// <summary>The ActivitySource name exporters subscribe to.</summary>
    public const string SourceName = "TrackRec.Streaming";

    private static readonly ActivitySource Source = new(SourceName);
    private static readonly AsyncLocal<TriggeringRecord?> Current = new();

    /// <summary>
    /// Marks the input record the current async flow is processing, until disposed. Work it starts (also on tasks
    /// it schedules, which capture the flow) is linked to <paramref name="context"/>.
    /// </summary>
    public static IDisposable EnterRecord(ActivityContext context, string topic, int partition, long offset)
    {
        var previous = Current.Value;
        Current.Value = new TriggeringRecord(context, topic, partition, offset);
        return new Restore(previous);
    }

    /// <summary>
    /// The input record the current async flow is processing (opaque; null outside one), for work that runs
    /// later on another flow, such as a generation queued for the slow lane, to link to.
    /// </summary>
    public static object? CurrentRecord() => Current.Value;

    /// <summary>
    /// Runs one chain generation for <paramref name="userId"/> inside a "generate" span linked to
    /// <paramref name="record"/> (from <see cref="CurrentRecord"/> when the generation was asked for); a failure
    /// marks the span as an error.
    /// </summary>
    public static async Task<T> TraceGenerationAsync<T>(string userId, object? record, Func<Task<T>> generate)
    {
        ArgumentNullException.ThrowIfNull(generate);
        using var activity = Start("generate", "process", ActivityKind.Consumer, record as TriggeringRecord);
        activity?.SetTag("messaging.kafka.message.key", userId);
        try
        {
            return await generate().ConfigureAwait(false);
        }
        catch (Exception ex) when (activity is not null)
        {
            activity.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            activity.SetTag("error.type", ex.GetType().FullName);
            throw;
        }
    }

    /// <summary>Starts the span of one training-batch write (files, then its manifest sent to <paramref name="manifestTopic"/>).</summary>
    public static Activity? StartBatchWrite(string batchId, string manifestTopic, int records)
    {
        var activity = Start("write_batch", "send", ActivityKind.Producer, Current.Value, manifestTopic);
        activity?.SetTag("trackrec.batch.id", batchId);
        activity?.SetTag("messaging.batch.message_count", records);
        return activity;
    }

    private static Activity? Start(string operation, string operationType, ActivityKind kind, TriggeringRecord? record, string? destination = null)
    {
        if (!Source.HasListeners())
            return null;
        var links = record is { Context.TraceId: var traceId } && traceId != default ? new[] { new ActivityLink(record.Context) } : null;
        // Messaging span names are "{operation} {destination}": the consumed topic for processing, the target for sends.
        var target = destination ?? record?.Topic;
        var activity = Source.StartActivity(target is null ? operation : $"{operation} {target}", kind, parentContext: default, links: links);
        if (activity is null)
            return null;
        activity.SetTag("messaging.system", "kafka");
        activity.SetTag("messaging.operation.type", operationType);
        activity.SetTag("messaging.operation.name", operation);
        if (target is not null)
            activity.SetTag("messaging.destination.name", target);
        if (record is not null)
        {
            // The input record that caused this work, also when the span's destination is an output topic.
            activity.SetTag("trackrec.source.topic", record.Topic);
            activity.SetTag("messaging.destination.partition.id", record.Partition.ToString(System.Globalization.CultureInfo.InvariantCulture));
            activity.SetTag("messaging.kafka.offset", record.Offset);
        }
        return activity;
    }

    private sealed record TriggeringRecord(ActivityContext Context, string Topic, int Partition, long Offset);

    private sealed class Restore(TriggeringRecord? previous) : IDisposable
    {
        public void Dispose() => Current.Value = previous;
    }
}
