namespace TrackRec.Streaming.Cli.Replay;

/// <summary>A `trackrec replay` option is missing, malformed or conflicts with another; the message names it (exit code 2).</summary>
internal sealed class ReplayOptionException(string message) : Exception(message);
