using Microsoft.Extensions.Options;
using TrackRec.Streaming.Kafka.Configuration;

namespace TrackRec.Streaming.Hosting;

/// <summary>Rejects topic settings that would make the worker read its own output or merge two inputs.</summary>
internal sealed class TopicOptionsValidator : IValidateOptions<TopicOptions>
{
    public ValidateOptionsResult Validate(string? name, TopicOptions options)
    {
        var all = new (string Key, string Value)[]
        {
            ("Impressions", options.Impressions), ("Clicks", options.Clicks), ("Comments", options.Comments), ("Items", options.Items),
            ("Features", options.Features), ("UserChains", options.UserChains), ("Outcomes", options.Outcomes), ("DeadLetters", options.DeadLetters), ("BatchManifests", options.BatchManifests),
        };
        var failures = new List<string>();
        foreach (var (key, value) in all)
        {
            if (string.IsNullOrWhiteSpace(value))
                failures.Add($"TrackRec:Topics:{key} must not be empty");
        }
        foreach (var group in all.Where(t => !string.IsNullOrWhiteSpace(t.Value)).GroupBy(t => t.Value, StringComparer.Ordinal).Where(g => g.Count() > 1))
            failures.Add($"TrackRec:Topics: {string.Join(" and ", group.Select(g => g.Key))} are all '{group.Key}'; every topic must be distinct");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
