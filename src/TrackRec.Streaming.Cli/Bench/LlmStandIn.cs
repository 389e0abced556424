using TrackRec.Streaming.Models.Llm.Testing;

namespace TrackRec.Streaming.Cli.Bench;

/// <summary>
/// The OpenAI-compatible stand-in server with a service time and a capacity, as a model server has: at most
/// <c>capacity</c> requests are served at once, each for <c>serviceTime</c>, and the rest wait in its queue.
/// Answers come from <see cref="ScriptedPreferenceModel"/>, which follows the prompts' formats. Counts requests
/// in flight (queued or served) as the client sees them.
/// </summary>
internal sealed class LlmStandIn : IAsyncDisposable
{
    private readonly SemaphoreSlim _capacity;
    private readonly FakeOpenAiServer _server;

    public LlmStandIn(TimeSpan serviceTime, int capacity, TimeProvider time)
    {
        _capacity = new SemaphoreSlim(capacity, capacity);
        InFlight = new InFlightGauge(time);
        _server = FakeOpenAiServer.Start(async request =>
        {
            InFlight.Enter();
            try
            {
                await _capacity.WaitAsync().ConfigureAwait(false);
                try
                {
                    await Task.Delay(serviceTime, time).ConfigureAwait(false);
                    return ScriptedPreferenceModel.Answer(request);
                }
                finally
                {
                    _capacity.Release();
                }
            }
            finally
            {
                InFlight.Exit();
            }
        });
    }

    public string Endpoint => _server.Endpoint;

    public InFlightGauge InFlight { get; }

    /// <summary>Requests received so far by role (generator, reflection, refine, validator).</summary>
    public IReadOnlyDictionary<string, int> CallsByRole() =>
        _server.Requests.GroupBy(ScriptedPreferenceModel.RoleOf).ToDictionary(g => g.Key, g => g.Count());

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync().ConfigureAwait(false);
        _capacity.Dispose();
    }
}
