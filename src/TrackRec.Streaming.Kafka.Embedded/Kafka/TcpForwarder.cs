using System.Net;
using System.Net.Sockets;

namespace TrackRec.Streaming.Kafka.Embedded;

/// <summary>
/// Accepts TCP connections on a chosen port and relays each, byte for byte, to a target endpoint. The mock
/// cluster's brokers listen on ports the OS picks; this gives `trackrec dev` a fixed bootstrap port, and the
/// broker advertises the forwarder (<see cref="EmbeddedKafkaCluster.AdvertiseBroker"/>) so clients stay on it.
/// </summary>
public sealed class TcpForwarder : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly DnsEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    private TcpForwarder(TcpListener listener, DnsEndPoint target)
    {
        _listener = listener;
        _target = target;
        _accepting = AcceptAsync();
    }

    /// <summary>The port connections are accepted on.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Starts forwarding <paramref name="bind"/>:<paramref name="port"/> to <paramref name="target"/> ("host:port").</summary>
    /// <exception cref="SocketException">The port is taken or cannot be bound.</exception>
    public static TcpForwarder Start(IPAddress bind, int port, string target)
    {
        ArgumentNullException.ThrowIfNull(bind);
        ArgumentException.ThrowIfNullOrWhiteSpace(target);
        var colon = target.LastIndexOf(':');
        var endpoint = new DnsEndPoint(target[..colon], int.Parse(target[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture));
        var listener = new TcpListener(bind, port);
        listener.Start();
        return new TcpForwarder(listener, endpoint);
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(Socket client)
    {
        using (client)
        using (var upstream = new Socket(SocketType.Stream, ProtocolType.Tcp))
        {
            client.NoDelay = true;
            upstream.NoDelay = true;
            try
            {
                await upstream.ConnectAsync(_target, _stop.Token).ConfigureAwait(false);
                using var a = new NetworkStream(client, ownsSocket: false);
                using var b = new NetworkStream(upstream, ownsSocket: false);
                // Either side closing ends the pair; the other copy then fails on its closed socket.
                await Task.WhenAny(a.CopyToAsync(b, _stop.Token), b.CopyToAsync(a, _stop.Token)).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
            {
                // A dropped connection is the client's or the broker's business: Kafka clients reconnect.
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        await _accepting.ConfigureAwait(false);
        _stop.Dispose();
    }
}
