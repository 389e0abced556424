using System.CommandLine;
using TrackRec.Streaming.Cli.Commands;

// `trackrec`: the production worker (`run`) and the self-contained demonstration (`demo`).
var root = new RootCommand("TrackRec.Streaming: turns live user behaviour into recommendation chains of thought for CTR ranking.");
root.Subcommands.Add(RunCommand.Create());
root.Subcommands.Add(DemoCommand.Create());
return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
