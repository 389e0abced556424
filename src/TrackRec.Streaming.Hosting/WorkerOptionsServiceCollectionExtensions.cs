using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TrackRec.Streaming.Chains;
using TrackRec.Streaming.Feedback;
using TrackRec.Streaming.Hosting.Health;
using TrackRec.Streaming.Hosting.Lanes;
using TrackRec.Streaming.Hosting.Retraining;
using TrackRec.Streaming.Hosting.Telemetry;
using TrackRec.Streaming.Kafka.Configuration;
using TrackRec.Streaming.Lanes;
using TrackRec.Streaming.Models.Onnx;
using TrackRec.Streaming.Outcomes;
using TrackRec.Streaming.UserState;

namespace TrackRec.Streaming.Hosting;

/// <summary>The worker's settings: what a host validates at start-up, and what a replay reads before its host exists.</summary>
public static class WorkerOptionsServiceCollectionExtensions
{
    /// <summary>The worker's options, each bound to its section and validated at start-up (a failure names the setting).</summary>
    public static IServiceCollection AddTrackRecOptions(this IServiceCollection services)
    {
        services.AddOptions<KafkaOptions>().BindConfiguration(KafkaOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<TopicOptions>().BindConfiguration("TrackRec:Topics").ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<WorkerOptions>().BindConfiguration(WorkerOptions.Section);
        services.AddOptions<UserStateOptions>().BindConfiguration("TrackRec:Pipeline:UserState").ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<AttributionOptions>().BindConfiguration("TrackRec:Pipeline:Attribution").ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ChainFreshnessOptions>().BindConfiguration("TrackRec:Pipeline:Chains").ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<GenerationOptions>().BindConfiguration(GenerationOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<FeedbackOptions>().BindConfiguration(FeedbackOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<BatchOptions>().BindConfiguration(BatchOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ModelOptions>().BindConfiguration(ModelOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<LaneOptions>().BindConfiguration(LaneOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IPostConfigureOptions<LaneOptions>, LaneDefaults>();
        services.AddOptions<OnnxEncoderOptions>().BindConfiguration(OnnxEncoderOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<OnnxEncoderOptions>, EncoderOptionsValidator>();
        services.AddSingleton<IValidateOptions<KafkaOptions>, KafkaOptionsValidator>();
        services.AddSingleton<IValidateOptions<TopicOptions>, TopicOptionsValidator>();
        services.AddOptions<HealthOptions>().BindConfiguration(HealthOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<TelemetryOptions>().BindConfiguration(TelemetryOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TelemetryOptions>, TelemetryOptionsValidator>();
        services.AddOptions<RetrainingOptions>().BindConfiguration(RetrainingOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        return services;
    }
}
