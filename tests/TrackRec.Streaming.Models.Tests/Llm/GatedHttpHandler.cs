using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace TrackRec.Streaming.Tests.Llm;

/// <summary>
/// An in-process HTTP handler that holds every request until the test opens its gate, counting how many are
/// in flight at once. The client's path to the handler is synchronous up to the first wait, so an unbounded
/// client has all its requests here before the test looks: the concurrency bound is observed exactly, not by timing.
/// </summary>
internal sealed class GatedHttpHandler(Func<JsonObject, ScriptedReply> answer) : HttpMessageHandler
{
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _inFlight;
    private int _peak;
    private int _arrived;

    public int Peak => Volatile.Read(ref _peak);

    public int Arrived => Volatile.Read(ref _arrived);

    public void Open() => _gate.TrySetResult();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var now = Interlocked.Increment(ref _inFlight);
        Interlocked.Increment(ref _arrived);
        for (var peak = Volatile.Read(ref _peak); now > peak; peak = Volatile.Read(ref _peak))
        {
            if (Interlocked.CompareExchange(ref _peak, now, peak) == peak)
                break;
        }
        try
        {
            await _gate.Task.WaitAsync(cancellationToken);
            var body = JsonNode.Parse(await request.Content!.ReadAsStringAsync(cancellationToken))!.AsObject();
            var reply = answer(body);
            return new HttpResponseMessage((HttpStatusCode)reply.Status) { Content = new StringContent(reply.Body, Encoding.UTF8, "application/json") };
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }
}
