using System.Globalization;

namespace TrackRec.Streaming.Tests.Deploy;

/// <summary>
/// docker-compose.yml cannot run here (no Docker engine), so what can be checked without one is: every file it
/// mounts or builds from exists, the worker's TrackRec__ names are real settings (the optional LLM lines too),
/// and the ports agree: the worker's health port, the Prometheus scrape target, Grafana's datasource, the LLM
/// endpoint and its server.
/// </summary>
public sealed class DeployComposeTests
{
    private static readonly string ComposePath = RepositoryFiles.PathOf("docker-compose.yml");

    private static Dictionary<string, object?> Services() => YamlDocuments.Load(ComposePath).Map("services");

    /// <summary>The commented-out optional LLM blocks, uncommented and parsed (one per optional-llm:begin/end pair).</summary>
    private static List<Dictionary<string, object?>> OptionalLlmBlocks()
    {
        var blocks = new List<Dictionary<string, object?>>();
        List<string>? current = null;
        foreach (var line in File.ReadAllLines(ComposePath))
        {
            if (line.Contains("# optional-llm:begin", StringComparison.Ordinal))
                current = [];
            else if (line.Contains("# optional-llm:end", StringComparison.Ordinal))
            {
                var text = string.Join('\n', current!);
                var path = Path.GetTempFileName();
                File.WriteAllText(path, text);
                try
                {
                    blocks.Add(YamlDocuments.Load(path));
                }
                finally
                {
                    File.Delete(path);
                }
                current = null;
            }
            else if (current is not null)
            {
                var hash = line.IndexOf("# ", StringComparison.Ordinal);
                Assert.True(hash >= 0, $"an optional-llm line is not commented: {line}");
                current.Add(line.Remove(hash, 2));
            }
        }
        return blocks;
    }

    private static string EnvOf(Dictionary<string, object?> service, string name) => service.Map("environment").Text(name)!;

    [Fact]
    public void Every_file_the_compose_file_references_exists()
    {
        var services = Services();
        var referenced = new List<string>();
        foreach (var service in services.Values.OfType<Dictionary<string, object?>>())
        {
            if (service.Map("build") is { Count: > 0 } build)
            {
                referenced.Add(build.Text("context")!);
                referenced.Add(Path.Combine(build.Text("context")!, build.Text("dockerfile")!));
            }
            foreach (var volume in service.List("volumes").Cast<string>().Where(v => v.StartsWith("./", StringComparison.Ordinal)))
                referenced.Add(volume.Split(':')[0]);
        }
        Assert.Contains("./deploy/prometheus/alerts.yml", referenced);
        Assert.Contains("./deploy/grafana/dashboards", referenced);
        foreach (var path in referenced)
        {
            var full = Path.Combine(RepositoryFiles.Root, path);
            Assert.True(File.Exists(full) || Directory.Exists(full), $"docker-compose.yml references {path}, which does not exist");
        }
        // The Grafana dashboard named as home is one of the mounted dashboards.
        var home = EnvOf((Dictionary<string, object?>)services["grafana"]!, "GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH");
        Assert.True(File.Exists(RepositoryFiles.PathOf("deploy/grafana/dashboards/" + Path.GetFileName(home))), home);
    }

    [Fact]
    public void Worker_settings_are_real_including_the_optional_llm_lines()
    {
        var worker = (Dictionary<string, object?>)Services()["worker"]!;
        var settings = worker.Map("environment")
            .Select(e => new KeyValuePair<string, string?>(RealSettings.KeyOfEnvironmentName(e.Key), e.Value as string))
            .ToList();
        var llmEnv = OptionalLlmBlocks().Single(b => b.Keys.All(k => k.StartsWith("TrackRec__", StringComparison.Ordinal)));
        settings.AddRange(llmEnv.Select(e => new KeyValuePair<string, string?>(RealSettings.KeyOfEnvironmentName(e.Key), e.Value as string)));
        Assert.Contains(settings, s => s.Key == "TrackRec:Models:Llm:Endpoint");
        Assert.Empty(RealSettings.Unknown(settings));
    }

    [Fact]
    public void The_topics_service_creates_every_topic_the_worker_uses()
    {
        var topics = (Dictionary<string, object?>)Services()["topics"]!;
        var script = string.Join('\n', topics.List("command").Cast<string>());
        var created = System.Text.RegularExpressions.Regex.Matches(script, @"^\s*create (\S+)", System.Text.RegularExpressions.RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        var defaults = new TrackRec.Streaming.Kafka.Configuration.TopicOptions();
        var used = typeof(TrackRec.Streaming.Kafka.Configuration.TopicOptions).GetProperties()
            .Where(p => p.PropertyType == typeof(string) && p.CanWrite)
            .Select(p => (string)p.GetValue(defaults)!)
            .ToList();
        Assert.True(used.Count >= 9);
        Assert.Subset(created, used.ToHashSet(StringComparer.Ordinal));
    }

    [Fact]
    public void Ports_agree_between_the_worker_prometheus_grafana_and_the_llm_server()
    {
        var services = Services();
        var worker = (Dictionary<string, object?>)services["worker"]!;
        var healthPort = EnvOf(worker, "TrackRec__Health__Port");
        Assert.Equal("true", EnvOf(worker, "TrackRec__Telemetry__Prometheus"));
        Assert.Contains(worker.List("ports").Cast<string>(), p => p.EndsWith(":" + healthPort, StringComparison.Ordinal));

        // Prometheus scrapes the worker's /metrics on that port, and loads the rules file it mounts.
        var prometheus = YamlDocuments.Load(RepositoryFiles.PathOf("deploy/prometheus/prometheus.yml"));
        var scrape = Assert.Single(prometheus.Maps("scrape_configs"));
        Assert.Equal("/metrics", scrape.Text("metrics_path"));
        Assert.Equal($"worker:{healthPort}", Assert.Single(Assert.Single(scrape.Maps("static_configs")).List("targets")));
        var mounts = ((Dictionary<string, object?>)services["prometheus"]!).List("volumes").Cast<string>().Select(v => v.Split(':')[1]).ToList();
        Assert.All(prometheus.List("rule_files").Cast<string>(), f => Assert.Contains(f, mounts));
        // The alert rule on `up` names the scrape job.
        Assert.Contains(TelemetryRules(), e => e.Contains($"up{{job=\"{scrape.Text("job_name")}\"}}", StringComparison.Ordinal));

        // Grafana's datasource is the prometheus service on its published port.
        var datasource = Assert.Single(YamlDocuments.Load(RepositoryFiles.PathOf("deploy/grafana/provisioning/datasources/prometheus.yaml")).Maps("datasources"));
        var url = new Uri(datasource.Text("url")!);
        Assert.True(services.ContainsKey(url.Host), $"no service {url.Host}");
        Assert.Contains(((Dictionary<string, object?>)services[url.Host]!).List("ports").Cast<string>(), p => p.EndsWith(":" + url.Port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));

        // The optional LLM endpoint is the optional llm service, on the port its server listens on.
        var blocks = OptionalLlmBlocks();
        var llm = blocks.Single(b => b.ContainsKey("llm")).Map("llm");
        var endpoint = new Uri(blocks.Single(b => b.ContainsKey("TrackRec__Models__Llm__Endpoint")).Text("TrackRec__Models__Llm__Endpoint")!);
        Assert.Equal("llm", endpoint.Host);
        Assert.EndsWith("/v1", endpoint.AbsolutePath, StringComparison.Ordinal);
        var command = llm.List("command").Cast<string>().ToList();
        Assert.Equal(endpoint.Port.ToString(CultureInfo.InvariantCulture), command[command.IndexOf("--port") + 1]);
        Assert.Equal(blocks.Single(b => b.ContainsKey("TrackRec__Models__Llm__Model")).Text("TrackRec__Models__Llm__Model"), command[command.IndexOf("--served-model-name") + 1]);
    }

    private static IEnumerable<string> TelemetryRules() =>
        Telemetry.TelemetryEndToEndTests.AlertRules().Select(r => r.Text("expr")!);
}
