using System.CommandLine;
using TrackRec.Streaming.Cli.Commands;
using TrackRec.Streaming.Training.Dpo;

// `trackrec`: the production worker (`run`), the self-contained demonstration (`demo`), a local stack
// for outside clients (`dev`), model bootstrap (`train`), the benchmarks (`bench models`, `bench stream`),
// bounded replays (`replay`) and the
// CTR evaluation of chain features (`eval`).
var root = new RootCommand("TrackRec.Streaming: turns live user behaviour into recommendation chains of thought for CTR ranking.");
root.Subcommands.Add(RunCommand.Create());
root.Subcommands.Add(DemoCommand.Create());
root.Subcommands.Add(DevCommand.Create());
root.Subcommands.Add(TrainCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
root.Subcommands.Add(ReplayCommand.Create());
// Each round after 0: S-DPO on the generator from the worker's own preference records, then V retrained.
root.Subcommands.Add(EvalCommand.Create(roundTrainer: new AlternatingRoundTrainer(new AlternatingOptions())));
// Ctrl-C belongs to the worker hosts (their console lifetime stops them gracefully: slow-lane work settles, outputs are
// flushed, offsets committed, within TrackRec:Kafka:DrainTimeout). System.CommandLine's own handler would end the
// process 2 s after the signal with exit code 130, cutting that short; off, the other commands end as any process does.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }).ConfigureAwait(false);
