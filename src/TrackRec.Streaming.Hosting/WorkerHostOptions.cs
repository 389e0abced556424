using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TrackRec.Streaming.Hosting.Retraining;
using TrackRec.Streaming.Hosting.Roles;
using TrackRec.Streaming.Kafka.Replay;

namespace TrackRec.Streaming.Hosting;

/// <summary>What differs between the hosts <see cref="WorkerHost"/> builds (run, dev, demo, replay, bench, tests); the rest is one registration.</summary>
public sealed record WorkerHostOptions
{
    /// <summary>
    /// Reads appsettings.json, appsettings.{environment}.json and environment variables, and logs to the console, as a
    /// production process does. Off (tests), only <see cref="Settings"/> configure the host and nothing is logged
    /// unless <see cref="Logging"/> adds it.
    /// </summary>
    public bool UseDefaults { get; init; } = true;

    /// <summary>Settings laid over the defaults, in order: a later layer wins.</summary>
    public IList<IReadOnlyDictionary<string, string?>> Settings { get; init; } = [];

    /// <summary>Runs the host as this replay (its group, targets, deterministic lanes, stop at the plan's end).</summary>
    public ReplayPlan? Replay { get; init; }

    /// <summary>Where the model roles come from; null: the backends TrackRec:Models configures, followed live by the model reloader.</summary>
    public IModelRoleProvider? Roles { get; init; }

    /// <summary>
    /// What trains new model versions when TrackRec:Retraining:Enabled is set. Null: that setting stops start-up with a
    /// message, since this host cannot train (the trackrec CLI carries the trainer; the Hosting assembly does not carry TorchSharp).
    /// </summary>
    public IModelRetrainer? Retrainer { get; init; }

    /// <summary>Logging beyond the defaults (tests route it to their output).</summary>
    public Action<ILoggingBuilder>? Logging { get; init; }

    /// <summary>Services registered before the worker's: a test's clock, or a hosted service that must start first.</summary>
    public Action<IServiceCollection>? Services { get; init; }
}
