using TrackRec.Streaming.Chains;

namespace TrackRec.Streaming.Hosting.Roles;

/// <summary>Serves one set of roles made elsewhere (tests, eval's in-memory models); nothing reads the model directory.</summary>
public sealed class FixedModelRoles(ChainRoles roles) : IModelRoleProvider
{
    /// <inheritdoc />
    public bool FromConfiguration => false;

    /// <inheritdoc />
    public ChainRoles Load() => roles;
}
