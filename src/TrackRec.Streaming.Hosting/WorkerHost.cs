using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using TrackRec.Streaming.Hosting.Health;
using TrackRec.Streaming.Hosting.Telemetry;

namespace TrackRec.Streaming.Hosting;

/// <summary>
/// The one place a worker host is built: `run`, `dev`, `demo`, `replay`, `bench` and the tests differ only in the
/// <see cref="WorkerHostOptions"/> they pass. The host is a web application so that /health/live, /health/ready and
/// /metrics are mapped on it (TrackRec:Health:Port; 0 opens no port), with the same services and shutdown as the worker.
/// </summary>
public static class WorkerHost
{
    /// <summary>Builds the worker host. Invalid settings surface when it starts, as an <see cref="OptionsValidationException"/> naming them.</summary>
    public static WebApplication Build(WorkerHostOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = CreateBuilder(options);
        var (port, prometheus) = EndpointSettings(builder.Configuration);
        if (port is > 0 and <= 65535)
            builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.ListenAnyIP(port));
        else
            builder.Services.AddSingleton<IServer, NoListeningServer>();
        builder.Services.AddRouting(); // the empty builder of the tests has none; the endpoints below need it
        options.Services?.Invoke(builder.Services);
        if (options.Replay is { } plan)
            builder.Services.AddTrackRecReplay(plan, options.Roles, options.Retrainer);
        else
            builder.Services.AddTrackRecWorker(options.Roles, options.Retrainer);

        var app = builder.Build();
        // Mapping /metrics builds the MeterProvider, which reads the telemetry settings: invalid ones are left for start-up to report.
        app.MapTrackRecEndpoints(prometheus && port > 0 && AreValid<TelemetryOptions>(app.Services));
        return app;
    }

    /// <summary>
    /// The settings a host built with <paramref name="options"/> would run with, read once (appsettings, environment,
    /// layers) and validated per type as at its start: <see cref="WorkerSettings.Get{T}"/> throws an
    /// <see cref="OptionsValidationException"/> naming what is wrong. A replay plans with these before its host exists.
    /// </summary>
    public static WorkerSettings ReadSettings(WorkerHostOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(CreateBuilder(options).Configuration);
        services.AddLogging();
        services.AddTrackRecOptions();
        return new WorkerSettings(services.BuildServiceProvider());
    }

    private static bool AreValid<T>(IServiceProvider services) where T : class
    {
        try
        {
            _ = services.GetRequiredService<IOptions<T>>().Value;
            return true;
        }
        catch (OptionsValidationException)
        {
            return false;
        }
    }

    private static WebApplicationBuilder CreateBuilder(WorkerHostOptions options)
    {
        var web = new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory };
        // The defaults are those of Host.CreateApplicationBuilder: appsettings files, environment variables, console logs.
        var builder = options.UseDefaults ? WebApplication.CreateBuilder(web) : WebApplication.CreateEmptyBuilder(web);
        foreach (var layer in options.Settings)
            builder.Configuration.AddInMemoryCollection(layer);
        options.Logging?.Invoke(builder.Logging);
        return builder;
    }

    // Whether to open a port and map /metrics is decided while the host is built, before options are validated; an
    // unreadable value here opens nothing, and start-up then reports it under its setting's name.
    private static (int Port, bool Prometheus) EndpointSettings(IConfiguration configuration) => (
        int.TryParse(configuration[HealthOptions.Section + ":Port"], out var port) ? port : 0,
        bool.TryParse(configuration[TelemetryOptions.Section + ":Prometheus"], out var prometheus) && prometheus);
}
