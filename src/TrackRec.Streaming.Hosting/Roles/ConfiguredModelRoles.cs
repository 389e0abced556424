using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using TrackRec.Streaming.Chains;
using TrackRec.Streaming.Models.Onnx;

namespace TrackRec.Streaming.Hosting.Roles;

/// <summary>The roles TrackRec:Models configures, each from its backend (<see cref="ModelRoleFactory"/>), as current in the model directory.</summary>
public sealed class ConfiguredModelRoles(
    IOptions<ModelOptions> options,
    IOptions<OnnxEncoderOptions> encoder,
    IConfiguration configuration,
    ModelCallCounters counters) : IModelRoleProvider
{
    /// <inheritdoc />
    public bool FromConfiguration => true;

    /// <inheritdoc />
    public ChainRoles Load() => ModelRoleFactory.Create(options.Value, encoder.Value, configuration, counters);
}
