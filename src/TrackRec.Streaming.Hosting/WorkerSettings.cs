using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace TrackRec.Streaming.Hosting;

/// <summary>A worker's settings outside a host (<see cref="WorkerHost.ReadSettings"/>): each type bound and validated on first use.</summary>
public sealed class WorkerSettings(ServiceProvider services) : IDisposable
{
    /// <summary>The validated settings of type <typeparamref name="T"/>; throws an <see cref="OptionsValidationException"/> naming what is wrong.</summary>
    public T Get<T>() where T : class => services.GetRequiredService<IOptions<T>>().Value;

    /// <inheritdoc />
    public void Dispose() => services.Dispose();
}
