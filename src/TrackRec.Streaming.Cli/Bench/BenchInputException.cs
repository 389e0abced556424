namespace TrackRec.Streaming.Cli.Bench;

/// <summary>The input cannot be benchmarked (said in a sentence, not a stack trace).</summary>
internal sealed class BenchInputException(string message) : Exception(message);
