using Microsoft.Extensions.Hosting;
using TrackRec.Streaming.Lanes;

namespace TrackRec.Streaming.Hosting.Lanes;

/// <summary>Runs the worker's slow lane for the host's lifetime (live mode; deterministic work runs inline and needs no loop).</summary>
internal sealed class SlowLaneService(SlowLane lane) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => lane.RunAsync(stoppingToken);
}
