using TrackRec.Streaming.Chains;
using TrackRec.Streaming.Lanes;

namespace TrackRec.Streaming.Hosting.Lanes;

/// <summary>
/// Closes the slow lane while the LLM endpoint's circuit is open, read from the roles serving now (a reload may
/// replace the client). Embedded roles leave it open.
/// </summary>
internal sealed class LlmCircuitGate(GenerationOrchestrator writer) : IModelGate
{
    public bool IsOpen => LlmRoles.ClientOf(writer.Roles) is not { CircuitOpen: true };
}
