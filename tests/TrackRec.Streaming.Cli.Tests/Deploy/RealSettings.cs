using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TrackRec.Streaming.Hosting.Retraining;
using TrackRec.Streaming.Hosting;
using TrackRec.Streaming.Models.Llm;

namespace TrackRec.Streaming.Tests.Deploy;

/// <summary>
/// Tells which configuration keys the worker really reads: the keys are put into a configuration that records
/// every key a reader asks for and finds, then every options type the worker registers (AddTrackRecWorker, plus
/// what `trackrec run` adds) is bound from it. A key nobody read is not a setting (a typo, a renamed option).
/// No hand-written list of settings: the options classes themselves answer.
/// </summary>
internal static class RealSettings
{
    /// <summary>
    /// The keys (":"-separated, as given) that no option of the worker binds. Give the real values: a value that
    /// does not convert stops the binding of its options type, and the keys after it would look unread.
    /// </summary>
    public static IReadOnlyList<string> Unknown(IEnumerable<KeyValuePair<string, string?>> settings) => Bind(settings).Unknown;

    /// <summary>
    /// Every key the worker's options asked for while binding <paramref name="settings"/>, given or not: each
    /// property of each options type whose section has keys, so the settings that exist beside the given ones.
    /// </summary>
    public static IReadOnlySet<string> Asked(IEnumerable<KeyValuePair<string, string?>> settings) => Bind(settings).Asked;

    /// <summary>The options type whose binding read each of <paramref name="settings"/> (keys no type read are absent).</summary>
    public static IReadOnlyDictionary<string, Type> Owners(IEnumerable<KeyValuePair<string, string?>> settings) => Bind(settings).Owners;

    private static (IReadOnlyList<string> Unknown, IReadOnlySet<string> Asked, IReadOnlyDictionary<string, Type> Owners) Bind(IEnumerable<KeyValuePair<string, string?>> settings)
    {
        var given = settings.DistinctBy(s => s.Key, StringComparer.OrdinalIgnoreCase).ToList();
        var provider = new RecordingProvider(given);
        var configuration = new ConfigurationBuilder().Add(new RecordingSource(provider)).Build();

        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddTrackRecWorker();
        using var sp = services.BuildServiceProvider();
        var optionTypes = services
            .Where(d => d.ServiceType.IsGenericType && d.ServiceType.GetGenericTypeDefinition() == typeof(IConfigureOptions<>))
            .Select(d => d.ServiceType.GetGenericArguments()[0])
            .Distinct();
        foreach (var type in optionTypes)
        {
            var options = sp.GetRequiredService(typeof(IOptions<>).MakeGenericType(type));
            provider.Binding = type;
            try
            {
                _ = options.GetType().GetProperty("Value")!.GetValue(options);
            }
            catch (TargetInvocationException ex) when (ex.InnerException is OptionsValidationException)
            {
                // Binding ran before validation; an invalid combination of defaults is not what is asked here.
            }
        }
        // The LLM roles bind their options from configuration when the backend is built, not through IOptions.
        provider.Binding = typeof(LlmOptions);
        configuration.GetSection(LlmOptions.Section).Get<LlmOptions>();

        return (given.Select(s => s.Key).Where(k => !provider.Read.Contains(k)).ToList(), provider.Asked, provider.Owners);
    }

    /// <summary>An environment variable name (TrackRec__Kafka__GroupId) as a configuration key.</summary>
    public static string KeyOfEnvironmentName(string name) => name.Replace("__", ":", StringComparison.Ordinal);

    private sealed class RecordingSource(RecordingProvider provider) : IConfigurationSource
    {
        public IConfigurationProvider Build(IConfigurationBuilder builder) => provider;
    }

    private sealed class RecordingProvider : ConfigurationProvider
    {
        public HashSet<string> Read { get; } = new(StringComparer.OrdinalIgnoreCase);

        public HashSet<string> Asked { get; } = new(StringComparer.OrdinalIgnoreCase);

        public Dictionary<string, Type> Owners { get; } = new(StringComparer.OrdinalIgnoreCase);

        public Type? Binding { get; set; }

        public RecordingProvider(IEnumerable<KeyValuePair<string, string?>> settings)
        {
            foreach (var (key, value) in settings)
                Data[key] = value;
        }

        public override bool TryGet(string key, out string? value)
        {
            Asked.Add(key);
            var found = base.TryGet(key, out value);
            if (found)
            {
                Read.Add(key);
                if (Binding is not null)
                    Owners.TryAdd(key, Binding);
            }
            return found;
        }
    }
}
