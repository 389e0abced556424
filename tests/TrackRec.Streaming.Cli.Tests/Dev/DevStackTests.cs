using System.Net;
using System.Net.Sockets;
using TrackRec.Streaming.Cli.Dev;

namespace TrackRec.Streaming.Tests.Dev;

/// <summary>`dev` on a port that is taken stops with a sentence naming the option, not a socket stack trace.</summary>
public sealed class DevStackTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_taken_kafka_port_is_named()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var e = await Assert.ThrowsAsync<DevSetupException>(() => DevStack.StartAsync(Options(port, 0), Ct));

        Assert.StartsWith($"--port {port}:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_taken_registry_port_is_named()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var e = await Assert.ThrowsAsync<DevSetupException>(() => DevStack.StartAsync(Options(0, port), Ct));

        Assert.StartsWith($"--registry-port {port}:", e.Message, StringComparison.Ordinal);
    }

    private static DevOptions Options(int port, int registryPort) =>
        new() { Port = port, RegistryPort = registryPort, ModelDirectory = "unused", BatchDirectory = "unused" };
}
