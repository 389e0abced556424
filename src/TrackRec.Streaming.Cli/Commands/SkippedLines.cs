using TrackRec.Streaming.Inputs;

namespace TrackRec.Streaming.Cli.Commands;

/// <summary>Prints the input lines a source skipped, each with its line number, so nothing is dropped silently.</summary>
internal static class SkippedLines
{
    private const int Shown = 20;

    /// <summary>Writes the first skipped lines and how many more there were.</summary>
    public static async Task WriteAsync(EventStream stream, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(output);
        foreach (var problem in stream.Problems.Take(Shown))
            await output.WriteLineAsync($"skipped input line {problem.LineNumber}: {problem.Message}").ConfigureAwait(false);
        if (stream.Problems.Count > Shown)
            await output.WriteLineAsync($"... and {stream.Problems.Count - Shown} more skipped lines").ConfigureAwait(false);
    }
}
