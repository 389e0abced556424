using System.CommandLine;
using TrackRec.Streaming.Cli.Commands;

// `trackrec`: the production worker (`run`), the self-contained demonstration (`demo`), model
// bootstrap (`train`), the model-path benchmark (`bench`), bounded replays (`replay`) and the
// CTR evaluation of chain features (`eval`).
var root = new RootCommand("TrackRec.Streaming: turns live user behaviour into recommendation chains of thought for CTR ranking.");
root.Subcommands.Add(RunCommand.Create());
root.Subcommands.Add(DemoCommand.Create());
root.Subcommands.Add(TrainCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
root.Subcommands.Add(ReplayCommand.Create());
// Rounds after 0 need an IRoundTrainer (S-DPO on G, then V retrained); pass it here once it exists.
root.Subcommands.Add(EvalCommand.Create(roundTrainer: null));
return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
