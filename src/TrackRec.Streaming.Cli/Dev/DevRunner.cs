using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TrackRec.Streaming.Cli.Commands;
using TrackRec.Streaming.Cli.Demo;
using TrackRec.Streaming.Cli.Retraining;
using TrackRec.Streaming.Hosting;
using TrackRec.Streaming.Kafka.Producing;
using TrackRec.Streaming.Kafka.Serialization;
using TrackRec.Streaming.Models.Store;

namespace TrackRec.Streaming.Cli.Dev;

/// <summary>
/// `trackrec dev`: the embedded Kafka and registry, the worker of `trackrec run` pointed at them, and
/// optionally a paced feed, all up until Ctrl-C, for outside clients to use.
/// </summary>
internal static class DevRunner
{
    public static async Task<int> RunAsync(DevOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        var (stream, inputName) = options.Input.Load();
        var store = new ModelStore(options.ModelDirectory);
        await DemoTraining.EnsureModelsAsync(store, stream, inputName,
            new DemoOptions { OutDirectory = options.BatchDirectory, Input = options.Input, ModelDirectory = options.ModelDirectory }, output).ConfigureAwait(false);

        await using var stack = await DevStack.StartAsync(options, cancellationToken).ConfigureAwait(false);
        var worker = new Dictionary<string, string?>
        {
            ["TrackRec:Kafka:BootstrapServers"] = stack.BootstrapServers,
            ["TrackRec:Kafka:SchemaRegistryUrl"] = stack.Registry.Url.ToString(),
            ["TrackRec:Models:Directory"] = options.ModelDirectory,
            ["TrackRec:Feedback:Batches:Directory"] = options.BatchDirectory,
        };
        using var host = WorkerHost.Build(new WorkerHostOptions { Settings = [worker, BoundedJobSettings.Quiet, options.Settings], Retrainer = DpoModelRetrainer.Instance });
        var stopping = host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        Task feed = Task.CompletedTask;
        var exitCode = await RunCommand.RunHostAsync(host, cancellationToken, async () =>
        {
            await output.WriteLineAsync(DevInstructions.Render(stack, options)).ConfigureAwait(false);
            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            if (options.Feed)
                feed = FeedAsync(stack, stream, inputName, options, output, stopping);
        }).ConfigureAwait(false);

        try
        {
            await feed.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Ctrl-C during the feed: the rest of the stream is simply not sent.
        }

        return exitCode;
    }

    private static async Task FeedAsync(DevStack stack, Inputs.EventStream stream, string inputName, DevOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        // Off the host's start-up path: the feed runs while the worker consumes it.
        await Task.Yield();
        var pace = options.Rate > 0 ? $"{options.Rate:G} events/s" : "as fast as possible";
        await output.WriteLineAsync($"feed: {stream.Events.Count:N0} events from {inputName}, {pace}").ConfigureAwait(false);
        var producer = new EventStreamProducer(stack.BootstrapServers, new StreamSerdes(stack.Registry.Client, stack.Topics));
        await producer.ProduceAsync(stream, malformedShare: 0, options.Input.Seed, cancellationToken, options.Rate).ConfigureAwait(false);
        await output.WriteLineAsync($"feed: done ({stream.Events.Count:N0} events); still serving until Ctrl-C").ConfigureAwait(false);
    }
}
