using System.Net;
using Microsoft.Extensions.Hosting;

namespace TrackRec.Streaming.Tests.Telemetry;

/// <summary>
/// What a bounded run's HTTP endpoints answered at the moment it finished: the worker stops its host when the
/// stream is drained, and ApplicationStopping fires before any hosted service (the health server included) stops,
/// so /metrics then holds every instrument the run recorded, with nothing timed or polled.
/// </summary>
internal sealed class StopSnapshot
{
    public StopSnapshot(int port, IEnumerable<string> paths)
    {
        Port = port;
        Paths = [.. paths];
    }

    public int Port { get; }

    public IReadOnlyList<string> Paths { get; }

    /// <summary>Status and body per path requested.</summary>
    public Dictionary<string, (HttpStatusCode Status, string Body)> Answers { get; } = [];

    public Exception? Failure { get; private set; }

    /// <summary>A hosted service that takes the snapshot when the host begins to stop.</summary>
    public IHostedService HostedService(IHostApplicationLifetime lifetime) => new Taker(this, lifetime);

    private void Take()
    {
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Port}"), Timeout = TimeSpan.FromSeconds(30) };
            foreach (var path in Paths)
            {
                // The callback runs on the worker's thread; the health server answers on the thread pool.
                using var response = http.GetAsync(path).GetAwaiter().GetResult();
                Answers[path] = (response.StatusCode, response.Content.ReadAsStringAsync().GetAwaiter().GetResult());
            }
        }
        catch (Exception ex)
        {
            Failure = ex;
        }
    }

    private sealed class Taker(StopSnapshot snapshot, IHostApplicationLifetime lifetime) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            lifetime.ApplicationStopping.Register(snapshot.Take);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
