using Microsoft.Extensions.DependencyInjection;
using TrackRec.Streaming.Feedback;
using TrackRec.Streaming.Kafka.Configuration;
using TrackRec.Streaming.Kafka.Replay;
using TrackRec.Streaming.Hosting.Retraining;
using TrackRec.Streaming.Hosting.Roles;
using TrackRec.Streaming.Lanes;

namespace TrackRec.Streaming.Hosting;

/// <summary>
/// A replay is the worker configured differently, not a second pipeline: the same registrations, with
/// the plan (which drives assignment, bounds, warm-up and headers), its own consumer group and the
/// target output topics laid over the configured settings.
/// </summary>
public static class ReplayServiceCollectionExtensions
{
    /// <summary>Registers the worker to run <paramref name="plan"/> once and stop.</summary>
    public static IServiceCollection AddTrackRecReplay(this IServiceCollection services, ReplayPlan plan, IModelRoleProvider? roles = null, IModelRetrainer? retrainer = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        services.AddSingleton(plan);
        // PostConfigure runs after binding, so no configuration source can put the live group back.
        services.PostConfigure<KafkaOptions>(kafka => kafka.GroupId = plan.GroupId);
        services.PostConfigure<TopicOptions>(plan.Targets.ApplyTo);
        // A replay re-derives what the live worker would have: its outputs must depend on the input alone.
        services.PostConfigure<LaneOptions>(lanes => lanes.Mode = LaneMode.Deterministic);
        // Training batches of a replay are their own: under the batch directory's replay/JOB, each manifest
        // naming the job and the range it read.
        services.AddSingleton(new ReplayProvenance(plan.JobId, plan.RangeHeader));
        services.PostConfigure<BatchOptions>(batches => batches.Directory = Path.Combine(batches.Directory, "replay", plan.JobId));
        services.PostConfigure<WorkerOptions>(worker =>
        {
            worker.StopAtEnd = true;
            worker.WorkerId ??= "replay-" + plan.JobId;
        });
        // A replay's batches re-derive the live ones; models it trained would change the outputs it is meant to reproduce.
        services.PostConfigure<RetrainingOptions>(retraining => retraining.Enabled = false);
        return services.AddTrackRecWorker(roles, retrainer);
    }
}
