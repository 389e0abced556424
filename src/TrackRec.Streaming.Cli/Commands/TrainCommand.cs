using System.CommandLine;
using TrackRec.Streaming.Feedback;
using TrackRec.Streaming.Models.Embedded;
using TrackRec.Streaming.Models.Store;
using TrackRec.Streaming.Training.Bootstrap;
using TrackRec.Streaming.Training.Dpo;

namespace TrackRec.Streaming.Cli.Commands;

/// <summary>
/// `trackrec train`: bootstraps the embedded models from a stream or dataset, runs TrackRec's alternating
/// rounds on it (--rounds), or retrains from the worker's batch files (--batches), publishing new versions.
/// </summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var input = new InputOptions();
        var models = new Option<string>("--models") { Description = "Model directory to publish new versions into", DefaultValueFactory = _ => "models" };
        var share = new Option<double>("--share") { Description = "Train on this share of the input (earliest events first)", DefaultValueFactory = _ => 1.0 };
        var maxExamples = new Option<int>("--max-examples") { Description = "Labelled impressions used at most (the newest)", DefaultValueFactory = _ => 40_000 };
        var rounds = new Option<int>("--rounds") { Description = "Alternating rounds (sample, score, pair, S-DPO on G, regenerate, retrain V) after bootstrapping what the directory lacks", DefaultValueFactory = _ => 0 };
        var batches = new Option<string?>("--batches") { Description = "Retrain G (S-DPO) and V from the worker's batch directory instead of from events" };
        var distil = new Option<bool>("--distil") { Description = "With --batches: fit the embedded validator (the fast lane's scorer) to the scores in the validator records instead of the clicks, leaving the generator as it is (distils an LLM validator)" };
        var loss = new Option<string>("--loss") { Description = "Generator preference loss: sdpo (one chosen against all rejected) or dpo (against the worst)", DefaultValueFactory = _ => "sdpo" };
        var beta = new Option<double>("--beta") { Description = "DPO beta: how far the policy may move from the reference", DefaultValueFactory = _ => 0.1 };
        var encoder = EncoderOption.Create();

        var command = new Command("train", "Train the embedded models from events (bootstrap, then --rounds alternating rounds) or from batch files (--batches), publishing new versions.");
        input.AddTo(command);
        foreach (var option in new Option[] { models, share, maxExamples, rounds, batches, distil, loss, beta, encoder })
            command.Options.Add(option);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var source = input.Parse(parse);
            var fraction = parse.GetValue(share);
            var lossName = parse.GetValue(loss)!;
            var problem = source.Problem()
                ?? (fraction is <= 0 or > 1 ? "--share must be in (0, 1]" : null)
                ?? (parse.GetValue(maxExamples) < 100 ? "--max-examples must be at least 100" : null)
                ?? (parse.GetValue(rounds) is < 0 or > 100 ? "--rounds must be between 0 and 100" : null)
                ?? (lossName is not ("sdpo" or "dpo") ? "--loss must be sdpo or dpo" : null)
                ?? (parse.GetValue(beta) is <= 0 or > 10 ? "--beta must be in (0, 10]" : null)
                ?? EncoderOption.Problem(parse.GetValue(encoder))
                ?? (parse.GetValue(batches) is { } dir && !Directory.Exists(dir) ? $"--batches {dir}: no such directory" : null)
                ?? (parse.GetValue(distil) && parse.GetValue(batches) is null ? "--distil needs --batches DIR (the batches whose validator records carry the teacher's scores)" : null);
            if (problem is not null)
            {
                await Console.Error.WriteLineAsync(problem).ConfigureAwait(false);
                return 2;
            }
            var store = new ModelStore(parse.GetValue(models)!);
            var options = new AlternatingOptions
            {
                Dpo = new PolicyDpoOptions { Loss = lossName == "dpo" ? PreferenceLoss.Dpo : PreferenceLoss.SDpo, Beta = parse.GetValue(beta) },
                MaxValidatorExamples = parse.GetValue(maxExamples),
                Seed = source.Seed,
            };

            if (parse.GetValue(batches) is { } distilDirectory && parse.GetValue(distil))
            {
                var distilled = await BatchTraining.DistilValidatorAsync(store, new LocalDirectoryBatchStore(distilDirectory), options, Console.Out, cancellationToken).ConfigureAwait(false);
                await Console.Out.WriteLineAsync(
                    $"{distilled.Batches} batches ({distilled.DamagedBatches} damaged skipped): {distilled.Examples:N0} of {distilled.ValidatorRecords:N0} validator records usable, teacher {string.Join(", ", distilled.Teachers)}").ConfigureAwait(false);
                await Console.Out.WriteLineAsync($"  published {distilled.Validator.Version,-14} validation log loss to the teacher {distilled.Validator.Metrics.GetValueOrDefault("validation_logloss"):F4}, AUC {distilled.Validator.Metrics.GetValueOrDefault("validation_auc"):F4}").ConfigureAwait(false);
                await Console.Out.WriteLineAsync($"done in {distilled.Elapsed.TotalSeconds:F1}s").ConfigureAwait(false);
                return 0;
            }

            if (parse.GetValue(batches) is { } batchDirectory)
            {
                var report = await BatchTraining.RunAsync(store, new LocalDirectoryBatchStore(batchDirectory), options, Console.Out, cancellationToken).ConfigureAwait(false);
                await Console.Out.WriteLineAsync(
                    $"{report.Batches} batches ({report.DamagedBatches} damaged skipped): {report.PreferenceRecords:N0} preference records ({report.Dpo.Skipped} skipped), " +
                    $"{report.ValidatorExamples:N0} of {report.ValidatorRecords:N0} validator records usable").ConfigureAwait(false);
                await Console.Out.WriteLineAsync($"  published {report.Generator.Version,-14} from {report.Generator.ParentVersion}: S-DPO loss {report.Dpo.InitialLoss:F4} -> {report.Dpo.TrainLoss:F4}, held-out preference accuracy {report.Dpo.ValidationAccuracy:F3}").ConfigureAwait(false);
                if (report.Validator is { } validator)
                    await Console.Out.WriteLineAsync($"  published {validator.Version,-14} validation AUC {validator.Metrics.GetValueOrDefault("validation_auc"):F4}").ConfigureAwait(false);
                await Console.Out.WriteLineAsync($"done in {report.Elapsed.TotalSeconds:F1}s").ConfigureAwait(false);
                return 0;
            }

            var (stream, name) = source.Load();
            await SkippedLines.WriteAsync(stream, Console.Out).ConfigureAwait(false);
            var events = stream.Events.Take((int)Math.Ceiling(stream.Events.Count * fraction)).ToList();
            await Console.Out.WriteLineAsync($"training on {events.Count:N0} events of {name} into {store.Root}").ConfigureAwait(false);
            if (parse.GetValue(rounds) == 0 || !EmbeddedModelSet.IsComplete(store))
            {
                BootstrapReport report;
                try
                {
                    report = EmbeddedBootstrap.Run(store, stream.Items, events, new BootstrapOptions { Source = name, Seed = source.Seed, MaxExamples = parse.GetValue(maxExamples), Encoder = EncoderOption.KindOf(parse.GetValue(encoder)) });
                }
                catch (InsufficientTrainingDataException ex)
                {
                    await Console.Error.WriteLineAsync(InsufficientInput.Sentence(name, ex)).ConfigureAwait(false);
                    return InsufficientInput.ExitCode;
                }
                foreach (var card in report.Cards)
                    await Console.Out.WriteLineAsync($"  published {card.Version,-14} {string.Join(", ", card.Metrics.Select(kv => $"{kv.Key} {kv.Value:G4}"))}").ConfigureAwait(false);
                await Console.Out.WriteLineAsync($"bootstrapped in {report.Elapsed.TotalSeconds:F1}s ({report.Examples:N0} labelled impressions)").ConfigureAwait(false);
            }
            var trainer = new AlternatingRoundTrainer(options);
            for (var round = 1; round <= parse.GetValue(rounds); round++)
            {
                var report = await trainer.RunAsync(store, stream.Items, events, name, cancellationToken).ConfigureAwait(false);
                await Console.Out.WriteLineAsync(
                    $"  round {round}: {report.PreferenceRecords:N0} preference records (mean reward margin {report.MeanRewardMargin:F4}); " +
                    $"{report.Generator} from {report.ReferenceGenerator}, S-DPO loss {report.Dpo.InitialLoss:F4} -> {report.Dpo.TrainLoss:F4}, accuracy {report.Dpo.ValidationAccuracy:F3}; " +
                    $"{report.Validator} validation AUC {report.ValidatorMetrics.GetValueOrDefault("validation_auc"):F4} ({report.Elapsed.TotalSeconds:F1}s)").ConfigureAwait(false);
            }
            return 0;
        });
        return command;
    }
}
