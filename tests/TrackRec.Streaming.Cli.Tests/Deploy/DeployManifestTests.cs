using System.Globalization;
using System.Text.RegularExpressions;

namespace TrackRec.Streaming.Tests.Deploy;

/// <summary>
/// The Kubernetes overlays (deploy/k8s/overlays/*) rendered as kustomize would, and what must hold for them to
/// run: selectors match their pods, probes and scrapes use the configured health port, KEDA never scales past the
/// partitions, secrets are referenced and never inlined, and every TrackRec__ key is a setting the worker reads.
/// That the probe paths are served is checked against a running worker (TelemetryEndToEndTests).
/// </summary>
public sealed partial class DeployManifestTests
{
    public static TheoryData<string> Overlays => new("dev", "prod");

    internal static List<Dictionary<string, object?>> Render(string overlay) =>
        KustomizeRenderer.Render(RepositoryFiles.PathOf($"deploy/k8s/overlays/{overlay}"));

    internal static Dictionary<string, object?> ReplayJobTemplate() =>
        YamlDocuments.Load(RepositoryFiles.PathOf("deploy/k8s/templates/replay-job.yaml"));

    private static Dictionary<string, object?> Single(List<Dictionary<string, object?>> resources, string kind) =>
        Assert.Single(resources, r => r.Text("kind") == kind);

    private static Dictionary<string, object?> ConfigData(List<Dictionary<string, object?>> resources) =>
        Single(resources, "ConfigMap").Map("data");

    private static bool Matches(Dictionary<string, object?> selector, Dictionary<string, object?> labels) =>
        selector.Count > 0 && selector.All(s => labels.Text(s.Key) == (string?)s.Value);

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Selectors_match_the_pods_they_select(string overlay)
    {
        var resources = Render(overlay);
        var deployment = Single(resources, "Deployment");
        var podLabels = deployment.At("spec.template.metadata").Map("labels");
        Assert.True(Matches(deployment.At("spec.selector").Map("matchLabels"), podLabels), "Deployment selector vs its pod labels");
        Assert.True(Matches(Single(resources, "Service").At("spec").Map("selector"), podLabels), "Service selector vs the worker pods");
        Assert.True(Matches(Single(resources, "PodDisruptionBudget").At("spec.selector").Map("matchLabels"), podLabels), "PDB selector vs the worker pods");
        var service = Single(resources, "Service");
        Assert.True(Matches(Single(resources, "ServiceMonitor").At("spec.selector").Map("matchLabels"), service.At("metadata").Map("labels")), "ServiceMonitor selector vs the Service labels");
        var replayPods = ReplayJobTemplate().At("spec.template.metadata").Map("labels");
        Assert.True(Matches(Single(resources, "PodMonitor").At("spec.selector").Map("matchLabels"), replayPods), "PodMonitor selector vs the replay Job's pods");
        Assert.False(Matches(deployment.At("spec.selector").Map("matchLabels"), replayPods), "a replay pod must not count as a worker (Service, PDB)");
        Assert.Equal(deployment.At("metadata").Text("name"), Single(resources, "ScaledObject").At("spec.scaleTargetRef").Text("name"));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Probes_and_scrapes_use_the_configured_health_port(string overlay)
    {
        var resources = Render(overlay);
        var port = int.Parse(ConfigData(resources).Text("TrackRec__Health__Port")!, CultureInfo.InvariantCulture);
        Assert.NotEqual(0, port);
        Assert.Equal("true", ConfigData(resources).Text("TrackRec__Telemetry__Prometheus"));
        var container = Assert.Single(Single(resources, "Deployment").At("spec.template.spec").Maps("containers"));
        var ports = container.Maps("ports").ToDictionary(p => p.Text("name")!, p => int.Parse(p.Text("containerPort")!, CultureInfo.InvariantCulture));

        var probes = new[] { "startupProbe", "livenessProbe", "readinessProbe" }.Select(p => (p, container.At(p + ".httpGet"))).ToList();
        Assert.Contains(probes, p => p.p == "livenessProbe" && p.Item2.Text("path") == "/health/live");
        Assert.Contains(probes, p => p.p == "readinessProbe" && p.Item2.Text("path") == "/health/ready");
        foreach (var (name, probe) in probes)
            Assert.True(ports.GetValueOrDefault(probe.Text("port") ?? "") == port, $"{name} port '{probe.Text("port")}' is not the health port {port}");

        var servicePort = Assert.Single(Single(resources, "Service").At("spec").Maps("ports"));
        Assert.Equal(port, ports[servicePort.Text("targetPort")!]);
        var scrape = Assert.Single(Single(resources, "ServiceMonitor").At("spec").Maps("endpoints"));
        Assert.Equal(servicePort.Text("name"), scrape.Text("port"));
        Assert.Equal("/metrics", scrape.Text("path"));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Keda_scales_on_the_impressions_lag_of_the_live_group_up_to_the_partitions(string overlay)
    {
        var resources = Render(overlay);
        var scaled = Single(resources, "ScaledObject");
        var partitions = int.Parse(scaled.At("metadata").Map("annotations").Text("trackrec.io/impressions-partitions")!, CultureInfo.InvariantCulture);
        var max = int.Parse(scaled.At("spec").Text("maxReplicaCount")!, CultureInfo.InvariantCulture);
        var min = int.Parse(scaled.At("spec").Text("minReplicaCount")!, CultureInfo.InvariantCulture);
        Assert.InRange(max, 1, partitions);
        Assert.InRange(min, 1, max);

        var config = ConfigData(resources);
        var trigger = Assert.Single(scaled.At("spec").Maps("triggers"));
        Assert.Equal("kafka", trigger.Text("type"));
        var metadata = trigger.Map("metadata");
        Assert.Equal(config.Text("TrackRec__Topics__Impressions"), metadata.Text("topic"));
        Assert.Equal(config.Text("TrackRec__Kafka__GroupId"), metadata.Text("consumerGroup"));
        Assert.Equal(config.Text("TrackRec__Kafka__BootstrapServers"), metadata.Text("bootstrapServers"));
        Assert.Equal("false", metadata.Text("allowIdleConsumers"));
        Assert.True(long.Parse(metadata.Text("lagThreshold")!, CultureInfo.InvariantCulture) > 0);
        if (trigger.Map("authenticationRef").Text("name") is { } auth)
            Assert.Contains(resources, r => r.Text("kind") == "TriggerAuthentication" && r.At("metadata").Text("name") == auth);
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Secrets_are_referenced_and_never_inlined(string overlay)
    {
        var resources = Render(overlay).Append(ReplayJobTemplate()).ToList();
        Assert.DoesNotContain(resources, r => r.Text("kind") == "Secret");
        foreach (var (key, value) in ConfigData(resources))
            Assert.False(SecretName().IsMatch(key) && !string.IsNullOrEmpty(value as string), $"ConfigMap key {key} looks like a secret and has a value");
        var env = resources.SelectMany(r => YamlDocuments.Descendants(r)).SelectMany(m => m.Maps("env")).ToList();
        Assert.NotEmpty(env);
        foreach (var variable in env.Where(e => SecretName().IsMatch(e.Text("name")!)))
        {
            Assert.False(variable.ContainsKey("value"), $"env {variable.Text("name")} inlines a secret");
            Assert.NotNull(variable.At("valueFrom").Map("secretKeyRef").Text("name"));
        }
        foreach (var auth in resources.Where(r => r.Text("kind") == "TriggerAuthentication"))
            Assert.All(auth.At("spec").Keys, k => Assert.Equal("secretTargetRef", k));
        // The scaler's own metadata carries no credential either.
        foreach (var metadata in Single(resources, "ScaledObject").At("spec").Maps("triggers").Select(t => t.Map("metadata")))
            Assert.DoesNotContain(metadata.Keys, k => k is "password" or "username" or "key" or "cert" or "ca");
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Every_TrackRec_key_is_a_setting_the_worker_reads(string overlay)
    {
        var resources = Render(overlay).Append(ReplayJobTemplate()).ToList();
        var settings = new List<KeyValuePair<string, string?>>();
        foreach (var (key, value) in ConfigData(resources))
            settings.Add(new(RealSettings.KeyOfEnvironmentName(key), value as string));
        foreach (var variable in resources.SelectMany(r => YamlDocuments.Descendants(r)).SelectMany(m => m.Maps("env")))
            if (variable.Text("name")!.StartsWith("TrackRec__", StringComparison.Ordinal))
                settings.Add(new(RealSettings.KeyOfEnvironmentName(variable.Text("name")!), variable.Text("value") ?? "from-secret"));
        // `--set KEY=VALUE` arguments of the jobs.
        foreach (var container in resources.SelectMany(r => YamlDocuments.Descendants(r)).Where(m => m.ContainsKey("args")))
        {
            var args = container.List("args").Cast<string>().ToList();
            for (var i = 0; i + 1 < args.Count; i++)
                if (args[i] == "--set")
                    settings.Add(new(args[i + 1].Split('=')[0], args[i + 1].Split('=', 2)[1]));
        }
        Assert.True(settings.Count > 50, $"only {settings.Count} settings found: is the ConfigMap complete?");
        Assert.Empty(RealSettings.Unknown(settings));
    }

    [Fact]
    public void The_README_deployment_section_lists_every_file_under_deploy_and_nothing_else()
    {
        var readme = File.ReadAllText(RepositoryFiles.PathOf("README.md")).Replace("\r\n", "\n", StringComparison.Ordinal);
        var start = readme.IndexOf("### Files under `deploy/`", StringComparison.Ordinal);
        Assert.True(start >= 0, "README has no deployment file list");
        var end = readme.IndexOf("\n## ", start, StringComparison.Ordinal);
        var listed = DeployFileRow().Matches(readme[start..(end < 0 ? readme.Length : end)]).Select(m => m.Groups[1].Value).ToList();
        var files = Directory.EnumerateFiles(RepositoryFiles.PathOf("deploy"), "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(RepositoryFiles.Root, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal).ToList();
        Assert.Equal(files, listed.Order(StringComparer.Ordinal));
        Assert.Equal(listed.Count, listed.Distinct(StringComparer.Ordinal).Count());
    }

    // Settings with no default to write down: required per deployment (LLM endpoint and model), secrets, paths
    // of optional files, per-instance ids, open-ended maps, and ones whose default is "unset, decided elsewhere".
    private static readonly string[] NoDefault =
    [
        "TrackRec:Kafka:Consumer", "TrackRec:Kafka:Producer", "TrackRec:Kafka:SchemaRegistry", "TrackRec:Models:Versions", "TrackRec:Worker:WorkerId",
        "TrackRec:Models:Llm:Endpoint", "TrackRec:Models:Llm:Model", "TrackRec:Models:Llm:ApiKey", "TrackRec:Models:Llm:ApiKeyFile",
        "TrackRec:Models:Llm:TemplatesDirectory", "TrackRec:Models:Llm:EmbeddingModel", "TrackRec:Models:Llm:EmbeddingDimension",
        "TrackRec:Models:Encoder:ModelPath", "TrackRec:Models:Encoder:VocabPath", "TrackRec:Models:Encoder:OutputName",
        "TrackRec:Models:Encoder:Version", "TrackRec:Telemetry:OtlpProtocol",
        "TrackRec:Topics:BehaviourInputs", // computed from Impressions, Clicks and Comments, not a setting
        "TrackRec:Models:Roles", // per role, unset = TrackRec:Models:Backend
        "TrackRec:Models:UsesLlm", "TrackRec:Models:RequiresEmbedded", // computed from the backends
        "TrackRec:Pipeline:Lanes:FreshWait", "TrackRec:Pipeline:Lanes:GenerationConcurrency", "TrackRec:Pipeline:Lanes:FeedbackConcurrency", // from the backend
    ];

    [Fact]
    public void The_base_ConfigMap_sets_every_setting_that_has_a_default()
    {
        var data = ConfigData(KustomizeRenderer.Render(RepositoryFiles.PathOf("deploy/k8s/base")));
        var settings = data.Select(e => new KeyValuePair<string, string?>(RealSettings.KeyOfEnvironmentName(e.Key), e.Value as string)).ToList();
        var given = settings.Select(s => s.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var asked = RealSettings.Asked(settings);
        // Leaves of the worker's own sections (a section is asked for too, and so are OTEL_* variables of the SDK).
        var missing = asked
            .Where(k => k.StartsWith("TrackRec:", StringComparison.OrdinalIgnoreCase) && !asked.Concat(given).Any(o => o.StartsWith(k + ":", StringComparison.OrdinalIgnoreCase)))
            .Where(k => !given.Contains(k) && !NoDefault.Contains(k, StringComparer.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.True(missing.Count == 0, $"settings the worker reads that the ConfigMap leaves out: {string.Join(", ", missing)}");
    }

    // Where the ConfigMap deliberately differs from the code's default, and why (a deployment, not a default).
    private static readonly Dictionary<string, string> DeploymentValues = new(StringComparer.OrdinalIgnoreCase)
    {
        ["TrackRec:Kafka:BootstrapServers"] = "the cluster's brokers",
        ["TrackRec:Kafka:SchemaRegistryUrl"] = "a real registry in any shared environment",
        ["TrackRec:Worker:StateWarmup"] = "1 day, as appsettings.json sets it for run",
        ["TrackRec:Health:Port"] = "8080, as appsettings.json sets it for run: the probes need it",
        ["TrackRec:Telemetry:Prometheus"] = "on: the ServiceMonitor scrapes /metrics",
        ["TrackRec:Models:Directory"] = "the shared models volume",
        ["TrackRec:Feedback:Batches:Directory"] = "the shared batches volume",
    };

    [Fact]
    public void The_base_ConfigMap_values_are_the_code_defaults_except_the_deployment_choices()
    {
        var data = ConfigData(KustomizeRenderer.Render(RepositoryFiles.PathOf("deploy/k8s/base")));
        var settings = data.Select(e => new KeyValuePair<string, string?>(RealSettings.KeyOfEnvironmentName(e.Key), e.Value as string)).ToList();
        var owners = RealSettings.Owners(settings);
        var checkedCount = 0;
        var wrong = new List<string>();
        foreach (var (key, value) in settings)
        {
            if (DeploymentValues.ContainsKey(key) || !owners.TryGetValue(key, out var type))
                continue;
            // The property the key names, on the options type that read it (nested sections are other types).
            var property = type.GetProperty(key[(key.LastIndexOf(':') + 1)..], System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.IgnoreCase);
            if (property is null || !property.CanWrite)
                continue;
            var kind = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            var expected = property.GetValue(Activator.CreateInstance(type));
            var actual = string.IsNullOrEmpty(value) && kind == typeof(string) ? null : System.ComponentModel.TypeDescriptor.GetConverter(kind).ConvertFromInvariantString(value!);
            if (!Equals(expected is "" ? null : expected, actual))
                wrong.Add($"{key}: ConfigMap {value}, default {expected}");
            checkedCount++;
        }
        Assert.True(checkedCount > 60, $"only {checkedCount} values compared");
        Assert.True(wrong.Count == 0, "ConfigMap values that are not the defaults: " + string.Join("; ", wrong));
    }

    [Fact]
    public void Unknown_settings_are_caught()
    {
        Assert.Equal(["TrackRec:Kafka:BootstrapServer", "TrackRec:Modles:Directory"], RealSettings.Unknown(
        [
            new("TrackRec:Kafka:BootstrapServers", "kafka:9092"),
            new("TrackRec:Kafka:BootstrapServer", "kafka:9092"),
            new("TrackRec:Modles:Directory", "/models"),
            new("TrackRec:Models:Llm:MaxTokens", "64"),
            new("TrackRec:Kafka:Consumer:sasl.password", "x"),
        ]));
    }

    [GeneratedRegex(@"^\| `(deploy/[^`]+)` \|", RegexOptions.Multiline)]
    private static partial Regex DeployFileRow();

    [GeneratedRegex("(password|secret|apikey|api_key|token|credential)$", RegexOptions.IgnoreCase)]
    private static partial Regex SecretName();
}
