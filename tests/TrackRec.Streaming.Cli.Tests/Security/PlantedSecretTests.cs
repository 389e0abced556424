using System.Diagnostics;
using TrackRec.Streaming.Tests.Demo;

namespace TrackRec.Streaming.Tests.Security;

/// <summary>
/// Secrets never reach logs, exceptions or output files. A `trackrec demo` child process runs with a SASL
/// password (consumer and producer pass-through), the LLM API key (from the environment variable) and
/// schema-registry credentials planted, at Debug log level; its whole stdout/stderr and every file it wrote
/// are searched for them. The LLM endpoint in the test proves the key was in use.
/// </summary>
public sealed class PlantedSecretTests(TrainedModelsFixture models) : IDisposable, IClassFixture<TrainedModelsFixture>
{
    private const string SaslPassword = "sasl-PLANTED-7f3a9c";
    private const string ApiKey = "sk-PLANTED-4be21d";
    private const string RegistryCredentials = "registry-user:registry-PLANTED-90ce";
    private static readonly string[] Secrets = [SaslPassword, ApiKey, "registry-PLANTED-90ce"];

    private readonly string _dir = Directory.CreateTempSubdirectory("trackrec-secrets-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task A_demo_with_planted_secrets_writes_them_nowhere()
    {
        await using var server = FakeOpenAiServer.Start(ScriptedPreferenceModel.Answer);
        var outDir = Path.Combine(_dir, "out");

        var (exit, output) = await RunCliAsync(
            ["demo", "--out", outDir, "--models", models.Directory, "--users", "6", "--impressions-per-user", "5", "--partitions", "2",
             "--generator", "llm", "--llm-endpoint", server.Endpoint, "--llm-model", "test-model", .. SecretSettings, "--set", "Logging:LogLevel:Default=Debug"]);

        Assert.True(exit == 0, $"demo exited {exit}:\n{output}");
        Assert.Contains(server.Requests, r => r.Authorization == "Bearer " + ApiKey); // the key was in use
        Assert.Contains("dbug:", output, StringComparison.Ordinal); // the captured log really is at Debug level
        AssertNoSecret("the demo's stdout/stderr", output);
        var files = Directory.EnumerateFiles(outDir, "*", SearchOption.AllDirectories).ToList();
        Assert.Contains(files, f => f.EndsWith("summary.json", StringComparison.Ordinal));
        Assert.Contains(files, f => f.EndsWith("manifest.json", StringComparison.Ordinal));
        foreach (var file in files)
            AssertNoSecret(file, await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken));
        foreach (var file in Directory.EnumerateFiles(models.Directory, "*.json", SearchOption.AllDirectories))
            AssertNoSecret(file, await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_start_up_that_fails_on_a_bad_setting_names_the_setting_not_the_secrets()
    {
        var (exit, output) = await RunCliAsync(
            ["demo", "--out", Path.Combine(_dir, "bad"), "--models", models.Directory, "--users", "2", "--impressions-per-user", "2",
             "--generator", "llm", "--llm-endpoint", "http://127.0.0.1:9/v1", .. SecretSettings, "--set", "TrackRec:Models:Llm:MaxConcurrency=0"]);

        Assert.Equal(2, exit);
        Assert.Contains("TrackRec:Models:Llm:MaxConcurrency", output, StringComparison.Ordinal);
        AssertNoSecret("the failed start-up's output", output);
    }

    private static string[] SecretSettings =>
    [
        "--set", "TrackRec:Kafka:Consumer:sasl.username=worker", "--set", $"TrackRec:Kafka:Consumer:sasl.password={SaslPassword}",
        "--set", "TrackRec:Kafka:Producer:sasl.username=worker", "--set", $"TrackRec:Kafka:Producer:sasl.password={SaslPassword}",
        "--set", $"TrackRec:Kafka:SchemaRegistry:basic.auth.user.info={RegistryCredentials}",
    ];

    private static void AssertNoSecret(string where, string text)
    {
        foreach (var secret in Secrets)
            Assert.False(text.Contains(secret, StringComparison.Ordinal), $"{where} contains the planted secret {secret}");
    }

    // The real command line, out of process: its whole output is what an operator's log collector would keep.
    private static async Task<(int Exit, string Output)> RunCliAsync(string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "trackrec.dll"));
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        start.Environment["TrackRec__Models__Llm__ApiKey"] = ApiKey;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return (process.ExitCode, await stdout + await stderr);
    }
}
