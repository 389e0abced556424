using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TrackRec.Streaming.Kafka.Configuration;
using TrackRec.Streaming.Kafka.Consuming;

namespace TrackRec.Streaming.Hosting;

/// <summary>
/// The hosted worker. It only wires: bootstrap the catalog table, then run the blocking consume loop
/// on its own long-running thread (never inline in ExecuteAsync, whose threading changed in .NET 10),
/// and stop the host when a bounded run is done. A fatal error propagates, so the host stops and a
/// supervisor restarts the process from the committed offsets.
/// </summary>
public sealed class StreamWorker(
    CatalogTable catalog,
    StreamConsumer consumer,
    IOptions<WorkerOptions> workerOptions,
    IHostApplicationLifetime lifetime,
    ILogger<StreamWorker> logger) : BackgroundService
{
    /// <summary>Completes once the consume loop has ended (drained or stopped).</summary>
    public Task Finished => _finished.Task;

    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var caughtUp = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var catalogStop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var catalogThread = StartThread("trackrec-catalog", () => catalog.Run(caughtUp, catalogStop.Token));
            await caughtUp.Task.WaitAsync(stoppingToken).ConfigureAwait(false);

            var consumeThread = StartThread("trackrec-consume", () => consumer.Run(stoppingToken));
            try
            {
                await consumeThread.ConfigureAwait(false);
            }
            finally
            {
                await catalogStop.CancelAsync().ConfigureAwait(false);
                await catalogThread.ConfigureAwait(false);
            }

            if (workerOptions.Value.StopAtEnd && !stoppingToken.IsCancellationRequested)
            {
                logger.LogInformation("Bounded run finished; stopping the host");
                lifetime.StopApplication();
            }
            _finished.TrySetResult();
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            _finished.TrySetResult();
        }
        catch (Exception ex)
        {
            logger.LogCritical(ex, "The stream worker stopped on a fatal error");
            _finished.TrySetException(ex);
            throw;
        }
    }

    private static Task StartThread(string name, Action body)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                body();
                done.TrySetResult();
            }
            catch (Exception ex)
            {
                done.TrySetException(ex);
            }
        })
        { Name = name, IsBackground = true };
        thread.Start();
        return done.Task;
    }
}
