using System.Diagnostics;
using TrackRec.Streaming.Chains;
using TrackRec.Streaming.Events;

namespace TrackRec.Streaming.Training.Evaluation;

/// <summary>
/// Runs <see cref="EvalRunner"/> once per seed on the same split and budget and summarises: every row's
/// mean ± std over the seeds, and the headline, Full (round 0) against the stronger of B1 and B2 (by mean
/// test AUC, which favours the baseline) with a paired bootstrap interval over users.
/// </summary>
public static class EvalSeries
{
    /// <summary>The relative AUC gain the issue asks of Full over the stronger baseline.</summary>
    public const double TargetRelativePercent = 1.5;

    /// <summary>Runs every seed in <paramref name="seeds"/>; the model directory gets one folder per seed.</summary>
    /// <param name="jobs">
    /// Seeds run at once. A seed's numbers do not depend on it: every trainer initialises and shuffles from its own
    /// seeded generator, libtorch runs one thread per seed on inputs in its own aligned memory, the MiniLM cache encodes
    /// each text alone, and each seed has its own model folder (EvalDeterminismTests compares one seed run alone and
    /// beside another; two full MovieLens runs gave identical eval.json files, see the README). With more than one,
    /// each line of the log carries its seed.
    /// </param>
    public static async Task<EvalSummary> RunAsync(IReadOnlyList<CatalogItem> items, IReadOnlyList<BehaviourEvent> events, EvalOptions options, IReadOnlyList<int> seeds, IRoundTrainer? roundTrainer, TextWriter log, int resamples, CancellationToken ct, Func<ChainRoles, ChainRoles>? serveWith = null, int jobs = 1)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(seeds);
        ArgumentNullException.ThrowIfNull(log);
        if (seeds.Count == 0 || seeds.Distinct().Count() != seeds.Count)
            throw new ArgumentException("give at least one seed, each once", nameof(seeds));
        ArgumentOutOfRangeException.ThrowIfLessThan(jobs, 1);
        var clock = Stopwatch.StartNew();
        var runs = new EvalReport[seeds.Count];
        EvalOptions Seeded(int seed) => options with { Seed = seed, ModelDirectory = Path.Combine(options.ModelDirectory, $"seed-{seed}"), Resamples = resamples };
        if (jobs == 1 || seeds.Count == 1)
        {
            for (var i = 0; i < seeds.Count; i++)
            {
                await log.WriteLineAsync($"seed {seeds[i]}").ConfigureAwait(false);
                runs[i] = await EvalRunner.RunAsync(items, events, Seeded(seeds[i]), roundTrainer, log, ct, serveWith).ConfigureAwait(false);
            }
        }
        else
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, seeds.Count), new ParallelOptions { MaxDegreeOfParallelism = jobs, CancellationToken = ct }, async (i, token) =>
            {
                using var seedLog = new PrefixedLineWriter(log, $"seed {seeds[i]}: ");
                runs[i] = await EvalRunner.RunAsync(items, events, Seeded(seeds[i]), roundTrainer, seedLog, token, serveWith).ConfigureAwait(false);
            }).ConfigureAwait(false);
        }
        return Summarise(options.Source, seeds, runs, resamples, clock.Elapsed);
    }

    /// <summary>The summary of finished runs (same split, one per seed).</summary>
    public static EvalSummary Summarise(string source, IReadOnlyList<int> seeds, IReadOnlyList<EvalReport> runs, int resamples, TimeSpan elapsed)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var names = runs[0].AllRows.Select(r => r.Name).ToList();
        var table = names.Select(name =>
        {
            var rows = runs.Select(r => r.AllRows.FirstOrDefault(x => x.Name == name)).OfType<EvalRound>().Where(r => r.Status == "ok").ToList();
            return new EvalRowSummary(name, rows.FirstOrDefault()?.Features,
                MeanStd.Of(rows.Select(r => r.Auc)), MeanStd.Of(rows.Select(r => r.LogLoss)), MeanStd.Of(rows.Select(r => r.ValidatorAuc)),
                MeanStd.Of(rows.Select(r => r.Log?.MeanLogAuc)), MeanStd.Of(rows.Select(r => r.Log?.Mrr)),
                MeanStd.Of(rows.Select(r => r.Log?.Ndcg5)), MeanStd.Of(rows.Select(r => r.Log?.Ndcg10)))
            {
                SelectionMargin = MeanStd.Of(rows.Select(r => r.Selection?.Margin)),
            };
        }).ToList();
        return new EvalSummary
        {
            Source = source,
            Seeds = seeds,
            Table = table,
            Headline = Headline(runs, table, resamples),
            Selection = runs[0].Rounds.Select(r => Selection(runs, r.Name, resamples)).OfType<EvalSelectionSummary>().ToList(),
            Runs = runs,
            ElapsedS = Math.Round(elapsed.TotalSeconds, 1),
        };
    }

    private static EvalSelectionSummary? Selection(IReadOnlyList<EvalReport> runs, string name, int resamples)
    {
        var rows = runs.Select(r => r.Rounds.FirstOrDefault(x => x.Name == name)).ToList();
        var count = runs[0].TestUsers.Count;
        if (rows.Any(r => r?.Selection is null || r.SelectionDifferences.Count != count))
            return null;
        var kept = Enumerable.Range(0, count).Where(i => rows.All(r => double.IsFinite(r!.SelectionDifferences[i]))).ToList();
        if (kept.Count == 0)
            return null;
        var users = new Dictionary<string, int>(StringComparer.Ordinal);
        var userOf = kept.Select(i => runs[0].TestUsers[i]).Select(u => users.TryGetValue(u, out var k) ? k : users[u] = users.Count).ToList();
        var (margin, low, high) = UserBootstrap.MeanDifference(kept.Select(i => rows.Average(r => r!.SelectionDifferences[i])).ToList(), userOf, resamples, seed: 1);
        return new EvalSelectionSummary(name, kept.Count, Math.Round(rows.Average(r => r!.Selection!.SelectedReward), 5), Math.Round(rows.Average(r => r!.Selection!.MeanSampleReward), 5),
            Math.Round(margin, 5), Math.Round(low, 5), Math.Round(high, 5), resamples, low > 0 || high < 0);
    }

    private static EvalHeadline? Headline(IReadOnlyList<EvalReport> runs, IReadOnlyList<EvalRowSummary> table, int resamples)
    {
        const string full = "round 0";
        var against = table.Where(r => r.Name is "B1" or "B2" && r.Auc is not null).MaxBy(r => r.Auc!.Mean);
        var fullRow = table.FirstOrDefault(r => r.Name == full && r.Auc is not null);
        if (against is null || fullRow is null)
            return null;
        IReadOnlyList<IReadOnlyList<double>> Logits(string name) => runs.Select(r => r.AllRows.First(x => x.Name == name).TestLogits).ToList();
        var a = Logits(full);
        var b = Logits(against.Name);
        if (a.Any(l => l.Count != runs[0].TestLabels.Count) || b.Any(l => l.Count != runs[0].TestLabels.Count))
            return null;
        var users = new Dictionary<string, int>(StringComparer.Ordinal);
        var userOf = runs[0].TestUsers.Select(u => users.TryGetValue(u, out var i) ? i : users[u] = users.Count).ToArray();
        var (difference, low, high) = UserBootstrap.AucDifference(a, b, runs[0].TestLabels, userOf, resamples, seed: 1);
        var relative = 100 * (fullRow.Auc!.Mean - against.Auc!.Mean) / against.Auc.Mean;
        return new EvalHeadline("Full (round 0)", against.Name, fullRow.Auc.Mean, against.Auc.Mean, Math.Round(difference, 5), Math.Round(relative, 3),
            Math.Round(low, 5), Math.Round(high, 5), resamples, TargetRelativePercent, relative >= TargetRelativePercent && low > 0);
    }
}
