namespace TrackRec.Streaming.Cli.Dev;

/// <summary>`trackrec dev` cannot start as asked (a port is taken); the message names the option to change.</summary>
internal sealed class DevSetupException(string message, Exception innerException) : Exception(message, innerException);
