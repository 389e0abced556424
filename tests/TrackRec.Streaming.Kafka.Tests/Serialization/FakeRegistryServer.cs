using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace TrackRec.Streaming.Tests.Serialization;

/// <summary>A loopback HTTP server standing in for a schema registry, recording what the client sent.</summary>
internal sealed class FakeRegistryServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<Request, (int Status, string Body)> _respond;
    private readonly Task _loop;

    public FakeRegistryServer(Func<Request, (int Status, string Body)> respond)
    {
        _respond = respond;
        var port = FreePort();
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add(BaseAddress.ToString());
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public sealed record Request(string Method, string Path, string? ContentType, string Accept, string Body);

    public Uri BaseAddress { get; }

    public ConcurrentQueue<Request> Requests { get; } = new();

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var request = new Request(
                context.Request.HttpMethod,
                context.Request.RawUrl ?? "",
                context.Request.ContentType,
                context.Request.Headers["Accept"] ?? "",
                await reader.ReadToEndAsync());
            Requests.Enqueue(request);

            var (status, body) = _respond(request);
            var bytes = Encoding.UTF8.GetBytes(body);
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/vnd.schemaregistry.v1+json";
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop;
    }
}
