using TrackRec.Streaming.Chains;

namespace TrackRec.Streaming.Hosting.Roles;

/// <summary>Where a worker's model roles come from: the configured backends, or a fixed set (tests, eval).</summary>
public interface IModelRoleProvider
{
    /// <summary>
    /// True when the roles are built from TrackRec:Models: start-up then checks the model directory, and the model
    /// reloader serves the versions a retraining job publishes. A fixed set is neither checked nor reloaded.
    /// </summary>
    bool FromConfiguration { get; }

    /// <summary>Builds (or returns) the roles to serve; called at start-up and after every published version.</summary>
    ChainRoles Load();
}
