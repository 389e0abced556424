using Confluent.SchemaRegistry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using OpenTelemetry;
using TrackRec.Streaming.Catalog;
using TrackRec.Streaming.Chains;
using TrackRec.Streaming.Feedback;
using TrackRec.Streaming.Kafka.Batches;
using TrackRec.Streaming.Diagnostics;
using TrackRec.Streaming.Hosting.Health;
using TrackRec.Streaming.Hosting.Lanes;
using TrackRec.Streaming.Hosting.Retraining;
using TrackRec.Streaming.Hosting.Roles;
using TrackRec.Streaming.Lanes;
using TrackRec.Streaming.Hosting.Telemetry;
using TrackRec.Streaming.Kafka.Configuration;
using TrackRec.Streaming.Kafka.Consuming;
using TrackRec.Streaming.Kafka.DeadLetters;
using TrackRec.Streaming.Kafka.Diagnostics;
using TrackRec.Streaming.Kafka.Embedded.Registry;
using TrackRec.Streaming.Kafka.Producing;
using TrackRec.Streaming.Kafka.Replay;
using TrackRec.Streaming.Kafka.Serialization;
using TrackRec.Streaming.Models.Onnx;
using TrackRec.Streaming.Outcomes;
using TrackRec.Streaming.Processing;
using TrackRec.Streaming.UserState;

namespace TrackRec.Streaming.Hosting;

/// <summary>The composition root of the worker: every service and option it runs on, registered in one place.</summary>
public static class WorkerServiceCollectionExtensions
{
    /// <summary>
    /// Registers the stream worker, its options (validated at start-up) and its services. <paramref name="roles"/> gives
    /// the model roles (null: the configured backends, checked at start-up and reloaded when new versions are published);
    /// <paramref name="retrainer"/> trains new versions when TrackRec:Retraining:Enabled (null: that setting is refused).
    /// </summary>
    public static IServiceCollection AddTrackRecWorker(this IServiceCollection services, IModelRoleProvider? roles = null, IModelRetrainer? retrainer = null)
    {
        services.AddTrackRecOptions();
        if (roles is null)
            services.AddSingleton<IModelRoleProvider, ConfiguredModelRoles>();
        else
            services.AddSingleton(roles);
        // Only configured roles read the model directory, so only they need it to hold what the backends serve.
        services.AddSingleton<IValidateOptions<ModelOptions>>(new ModelOptionsValidator(checkDirectory: roles is null));
        services.AddOptions<RetrainingOptions>().Validate(
            retraining => !retraining.Enabled || retrainer is not null,
            RetrainingOptions.Section + ":Enabled is set, but this host has no trainer (retraining runs in the hosts of the trackrec CLI)");
        if (retrainer is not null)
        {
            services.AddSingleton(retrainer);
            services.AddHostedService<BatchRetrainingService>();
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ItemCatalog>();
        services.TryAddSingleton<IItemCatalog>(sp => sp.GetRequiredService<ItemCatalog>());
        services.AddMetrics();
        services.TryAddSingleton<StreamMetrics>();
        services.TryAddSingleton<PipelineCounters>();
        services.TryAddSingleton<StreamCounters>();
        services.TryAddSingleton<ModelCallCounters>();
        services.TryAddSingleton<ConsumerHeartbeat>();
        // The Kafka layer and the domain take plain settings, so a test builds them without a container; here each is
        // the validated IOptions<T> value, and the services below get them by constructor injection.
        AddValue<KafkaOptions>(services);
        AddValue<TopicOptions>(services);
        AddValue<BatchOptions>(services);
        services.AddHostedService<ModelReloader>(); // configured roles follow the model directory's CURRENT versions
        services.TryAddSingleton(sp => new GenerationOrchestrator(
            sp.GetRequiredService<IOptions<GenerationOptions>>().Value,
            sp.GetRequiredService<IModelRoleProvider>().Load(),
            sp.GetRequiredService<StreamMetrics>(),
            sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp =>
        {
            var lanes = sp.GetRequiredService<IOptions<LaneOptions>>().Value;
            var writer = sp.GetRequiredService<GenerationOrchestrator>();
            var time = sp.GetRequiredService<TimeProvider>();
            var lane = new SlowLane(
                writer,
                new GenerationQueue(lanes.QueueCapacity, time),
                lanes.GenerationConcurrency!.Value,
                lanes.FeedbackConcurrency!.Value,
                sp.GetRequiredService<IOptions<ChainFreshnessOptions>>().Value.GenerationTimeout,
                new LlmCircuitGate(writer),
                lanes.GatePollInterval,
                time);
            sp.GetRequiredService<StreamMetrics>().TrackLanes(new LaneGauges(lane, writer));
            return lane;
        });
        // No registry configured: the embedded one serves Confluent's REST protocol on a loopback port, so the
        // same client and serdes run either way (and the container disposes the server with the host).
        services.TryAddSingleton(_ => EmbeddedSchemaRegistry.Start());
        services.TryAddSingleton<ISchemaRegistryClient>(sp =>
        {
            var kafka = sp.GetRequiredService<IOptions<KafkaOptions>>().Value;
            return new CachedSchemaRegistryClient(SchemaRegistrySettings.NamesARegistry(kafka)
                ? SchemaRegistrySettings.ToConfig(kafka)
                : sp.GetRequiredService<EmbeddedSchemaRegistry>().ClientConfig());
        });
        services.TryAddSingleton<StreamSerdes>();
        // A replay (AddTrackRecReplay) stamps every output record with its job and range.
        services.TryAddSingleton(sp => new OutputPublisher(
            sp.GetRequiredService<IOptions<KafkaOptions>>().Value,
            sp.GetRequiredService<ILogger<OutputPublisher>>(),
            sp.GetService<ReplayPlan>()?.Headers));
        services.TryAddSingleton<IRecordPublisher>(sp => sp.GetRequiredService<OutputPublisher>());
        services.TryAddSingleton(sp => new DeadLetterPublisher(
            sp.GetRequiredService<StreamSerdes>(),
            sp.GetRequiredService<IRecordPublisher>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<WorkerOptions>>().Value.WorkerId ?? Environment.MachineName));
        services.TryAddSingleton<CatalogTable>();
        services.TryAddSingleton<IBatchStore>(sp => new LocalDirectoryBatchStore(sp.GetRequiredService<IOptions<BatchOptions>>().Value.Directory));
        services.TryAddSingleton<BatchFileWriter>();
        services.TryAddSingleton<FeedbackBatchPublisher>(); // a replay's (AddTrackRecReplay) names its job in every manifest
        services.TryAddSingleton(sp =>
        {
            var pipeline = new PipelineOptions
            {
                UserState = sp.GetRequiredService<IOptions<UserStateOptions>>().Value,
                Attribution = sp.GetRequiredService<IOptions<AttributionOptions>>().Value,
                Chains = sp.GetRequiredService<IOptions<ChainFreshnessOptions>>().Value,
                Feedback = sp.GetRequiredService<IOptions<FeedbackOptions>>().Value,
            };
            var catalog = sp.GetRequiredService<IItemCatalog>();
            var writer = sp.GetRequiredService<GenerationOrchestrator>();
            var time = sp.GetRequiredService<TimeProvider>();
            var counters = sp.GetRequiredService<PipelineCounters>();
            var lane = sp.GetRequiredService<SlowLane>();
            var lanes = sp.GetRequiredService<IOptions<LaneOptions>>().Value;
            Func<int, PartitionPipeline<RecordRef>> factory = _ => new PartitionPipeline<RecordRef>(pipeline, catalog, writer, time, counters, lane, lanes);
            return new StreamConsumer(
                sp.GetRequiredService<IOptions<KafkaOptions>>().Value,
                sp.GetRequiredService<IOptions<WorkerOptions>>().Value,
                sp.GetRequiredService<StreamSerdes>(),
                factory,
                sp.GetRequiredService<OutputPublisher>(),
                sp.GetRequiredService<DeadLetterPublisher>(),
                sp.GetRequiredService<StreamCounters>(),
                time,
                sp.GetRequiredService<ILoggerFactory>(),
                pipeline.Feedback.Enabled ? sp.GetRequiredService<FeedbackBatchPublisher>() : null,
                sp.GetService<ReplayPlan>(),
                sp.GetRequiredService<ConsumerHeartbeat>());
        });
        services.AddSingleton<StreamWorker>();

        services.AddHealthChecks()
            .AddCheck<ConsumeLoopHealthCheck>("consume-loop", tags: [HealthTags.Live])
            .AddCheck<PartitionsAssignedHealthCheck>("partitions", tags: [HealthTags.Ready])
            .AddCheck<ModelBackendHealthCheck>("models", tags: [HealthTags.Ready]);
        AddMetricsExport(services);
        // Before the worker, so the lane outlives it at shutdown: a bounded run's last partitions wait on it.
        services.AddHostedService<SlowLaneService>();
        services.AddHostedService(sp => sp.GetRequiredService<StreamWorker>());
        return services;
    }

    private static void AddValue<T>(IServiceCollection services) where T : class =>
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<T>>().Value);

    // OpenTelemetry registers exporters while services are registered, before configuration can be read, so
    // the MeterProvider always exists with the Prometheus exporter (a pull reader: it only aggregates until
    // scraped, and TrackRec:Telemetry:Prometheus decides whether /metrics is served). The OTLP metric reader and
    // the tracing source and exporter are added when the providers are built, from the validated
    // TrackRec:Telemetry settings; no OTLP endpoint adds neither, so spans are never even created.
    private static void AddMetricsExport(IServiceCollection services)
    {
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("trackrec-worker"))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(StreamMetrics.MeterName).AddPrometheusExporter();
                ((IDeferredMeterProviderBuilder)metrics).Configure((sp, builder) =>
                {
                    if (OtlpSignalOptions.For(sp.GetRequiredService<IOptions<TelemetryOptions>>().Value, OtlpSignalOptions.Metrics) is { } otlp)
                        builder.AddReader(new PeriodicExportingMetricReader(new OtlpMetricExporter(otlp)));
                });
            })
            .WithTracing(tracing => ((IDeferredTracerProviderBuilder)tracing).Configure((sp, builder) =>
            {
                if (OtlpSignalOptions.For(sp.GetRequiredService<IOptions<TelemetryOptions>>().Value, OtlpSignalOptions.Traces) is { } otlp)
                    builder.AddSource(StreamActivities.SourceName).AddProcessor(new BatchActivityExportProcessor(new OtlpTraceExporter(otlp)));
            }));
    }
}
