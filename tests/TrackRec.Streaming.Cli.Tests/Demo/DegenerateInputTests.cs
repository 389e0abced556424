using System.Text.Json;
using TrackRec.Streaming.Cli.Commands;
using TrackRec.Streaming.Cli.Demo;

namespace TrackRec.Streaming.Tests.Demo;

/// <summary>
/// Inputs too small or too one-sided to train on end in one sentence naming what is missing and exit
/// code 3, never a stack trace; odd inputs that can be trained on run through and write valid JSON.
/// </summary>
public sealed class DegenerateInputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("trackrec-degenerate-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("empty", "no impressions, clicks or comments")]
    [InlineData("items-only", "no impressions, clicks or comments (only 20 catalog items)")]
    [InlineData("no-clicks", "was clicked")]
    [InlineData("all-clicks", "were clicked")]
    [InlineData("smaller-than-training-share", "labelled impressions")]
    [InlineData("no-categories", "no categories")]
    [InlineData("no-catalog", "no categories")]
    public async Task Untrainable_input_gets_one_sentence_and_exit_code_3(string shape, string names)
    {
        var file = DegenerateStream.Write(_dir, shape);
        var output = new StringWriter();

        var (exitCode, summary) = await DemoRunner.RunAsync(Options(shape, file), output, TestContext.Current.CancellationToken);

        Assert.Equal(InsufficientInput.ExitCode, exitCode);
        Assert.Null(summary);
        var last = output.ToString().TrimEnd().Split('\n')[^1];
        Assert.StartsWith("cannot train the models on events file", last, StringComparison.Ordinal);
        Assert.Contains(names, last, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", output.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("one-user")]
    [InlineData("one-item")]
    [InlineData("slice-276")]
    public async Task Odd_but_trainable_input_runs_through_with_finite_json(string shape)
    {
        var file = DegenerateStream.Write(_dir, shape);

        var (exitCode, summary) = await DemoRunner.RunAsync(Options(shape, file), TextWriter.Null, TestContext.Current.CancellationToken);

        Assert.Equal(0, exitCode);
        Assert.Equal(summary!.Impressions, summary.FeaturesEmitted);
        Assert.Equal(summary.Impressions, summary.OutcomesEmitted);
        // Every card and the summary parse as strict JSON (no NaN or Infinity tokens).
        foreach (var json in Directory.EnumerateFiles(Path.Combine(_dir, shape), "*.json", SearchOption.AllDirectories))
            JsonDocument.Parse(File.ReadAllText(json)).Dispose();
    }

    private DemoOptions Options(string shape, string file) =>
        new() { OutDirectory = Path.Combine(_dir, shape), Input = new InputSelection(file, null), MalformedShare = 0, Partitions = 2 };
}
