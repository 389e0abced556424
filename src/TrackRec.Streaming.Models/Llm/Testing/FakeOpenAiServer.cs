using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace TrackRec.Streaming.Models.Llm.Testing;

/// <summary>
/// An OpenAI-compatible server inside the test: HttpListener on 127.0.0.1 and a free port, answering each
/// request with a scripted handler that sees the parsed JSON body, and recording every request it received,
/// so tests can script bad answers, 5xx and silence, and assert on what the client actually sent.
/// </summary>
public sealed class FakeOpenAiServer : IAsyncDisposable
{
    private readonly HttpListener _listener;
    private readonly Func<RecordedRequest, Task<ScriptedReply>> _handler;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly ConcurrentQueue<Exception> _handlerErrors = new();
    private readonly TaskCompletionSource _stopping = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<Task> _handling = [];
    private readonly Task _loop;

    private FakeOpenAiServer(HttpListener listener, int port, Func<RecordedRequest, Task<ScriptedReply>> handler)
    {
        _listener = listener;
        _handler = handler;
        Port = port;
        _loop = Task.Run(AcceptAsync);
    }

    /// <summary>The port listened on.</summary>
    public int Port { get; }

    /// <summary>The OpenAI-compatible base URL (…/v1).</summary>
    public string Endpoint => $"http://127.0.0.1:{Port}/v1";

    /// <summary>Every request received so far, in arrival order.</summary>
    public IReadOnlyList<RecordedRequest> Requests => _requests.ToArray();

    /// <summary>Exceptions scripted handlers threw (answered as 500).</summary>
    public IReadOnlyList<Exception> HandlerErrors => _handlerErrors.ToArray();

    /// <summary>Completes when the server is disposed: a handler that awaits it never answers while the test runs.</summary>
    public Task Stopping => _stopping.Task;

    /// <summary>Starts a server with an asynchronous handler.</summary>
    public static FakeOpenAiServer Start(Func<RecordedRequest, Task<ScriptedReply>> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        for (var attempt = 0; ; attempt++)
        {
            var port = FreePort();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return new FakeOpenAiServer(listener, port, handler);
            }
            catch (HttpListenerException) when (attempt < 10)
            {
                listener.Close(); // the port was taken between probing and binding: try another
            }
        }
    }

    /// <summary>Starts a server with a synchronous handler.</summary>
    public static FakeOpenAiServer Start(Func<RecordedRequest, ScriptedReply> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return Start(r => Task.FromResult(handler(r)));
    }

    /// <summary>A port nothing listens on (for connection-refused tests).</summary>
    public static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    public async ValueTask DisposeAsync()
    {
        _stopping.TrySetResult();
        _listener.Stop();
        _listener.Close();
        await _loop.ConfigureAwait(false);
        Task[] handling;
        lock (_handling)
            handling = [.. _handling];
        try
        {
            await Task.WhenAll(handling).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // A client that gave up has closed its connection: answering it fails, which is expected.
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.Task.IsCompleted)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                break;
            }
            lock (_handling)
                _handling.Add(Task.Run(() => HandleAsync(context)));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        try
        {
            string raw;
            using (var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8))
                raw = await reader.ReadToEndAsync().ConfigureAwait(false);
            var body = (raw.Length > 0 ? JsonNode.Parse(raw) as JsonObject : null) ?? new JsonObject();
            var request = new RecordedRequest(context.Request.HttpMethod, context.Request.Url?.AbsolutePath ?? string.Empty, context.Request.Headers["Authorization"], raw, body);
            _requests.Enqueue(request);
            ScriptedReply reply;
            try
            {
                reply = await _handler(request).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                _handlerErrors.Enqueue(ex);
                reply = new ScriptedReply(500, $"{{\"error\":{{\"message\":\"handler threw {ex.GetType().Name}\"}}}}");
            }
            var bytes = Encoding.UTF8.GetBytes(reply.Body);
            context.Response.StatusCode = reply.Status;
            context.Response.ContentType = "application/json";
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
            context.Response.Close();
        }
        catch (Exception ex) when (ex is HttpListenerException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The client timed out and hung up, or the server is stopping.
        }
    }
}
