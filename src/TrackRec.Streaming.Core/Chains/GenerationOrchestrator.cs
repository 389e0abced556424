using TrackRec.Streaming.Diagnostics;

namespace TrackRec.Streaming.Chains;

/// <summary>
/// One generation for one user, the methods in order: sample n chains (TrackRec's G), reflect on each and
/// refine the rejected ones (R4ec, bounded rounds), score every chain on the held-out outcomes (TrackRec's
/// V), keep the best (best-of-n), propose novel interests (best-of-n exploration) and embed the result.
/// Only the generator is essential: when another role fails, the chain is still served, marked with the
/// roles that failed, so a sick model endpoint degrades features instead of stalling a partition.
/// </summary>
public sealed class GenerationOrchestrator
{
    private readonly GenerationOptions _options;
    // Replaced whole when new model versions are published; a generation takes it once, so one chain is
    // made by one set of versions, and a replaced set is released only when the calls that took it are done.
    private volatile ServingRoles _serving;
    private readonly StreamMetrics? _metrics;
    private readonly TimeProvider _time;

    /// <summary>Creates the writer over a set of roles; with <paramref name="metrics"/>, every role call is timed (trackrec.model.latency).</summary>
    public GenerationOrchestrator(GenerationOptions options, ChainRoles roles, StreamMetrics? metrics = null, TimeProvider? time = null)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _serving = new ServingRoles(roles ?? throw new ArgumentNullException(nameof(roles)));
        _metrics = metrics;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The roles in use.</summary>
    public ChainRoles Roles => _serving.Roles;

    /// <summary>
    /// Serves the next generations (and validator calls) with <paramref name="roles"/>; generations under way finish with
    /// the roles they started with. The task completes, with the replaced roles, once none of those calls is left, so
    /// the caller can release what the replaced roles hold.
    /// </summary>
    public async Task<ChainRoles> Use(ChainRoles roles)
    {
        var previous = Interlocked.Exchange(ref _serving, new ServingRoles(roles ?? throw new ArgumentNullException(nameof(roles))));
        previous.Retire();
        await previous.Idle.ConfigureAwait(false);
        return previous.Roles;
    }

    // Takes the serving set for one call; a set retired between the read and the count is let go and the new one taken.
    private ServingRoles Take()
    {
        while (true)
        {
            var serving = _serving;
            serving.Enter();
            if (ReferenceEquals(serving, _serving))
                return serving;
            serving.Exit();
        }
    }

    /// <summary>The settings in use.</summary>
    public GenerationOptions Options => _options;

    /// <summary>Runs one generation. Throws only when the generator itself fails (or on cancellation).</summary>
    public async Task<ChainGeneration> WriteAsync(ChainRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var serving = Take();
        try
        {
            return await WriteAsync(serving.Roles, request, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            serving.Exit();
        }
    }

    private async Task<ChainGeneration> WriteAsync(ChainRoles roles, ChainRequest request, CancellationToken cancellationToken)
    {
        var degraded = new List<string>();
        var drafts = (await TimedAsync("generator", () => roles.Generator.SampleAsync(request, _options.Samples, cancellationToken)).ConfigureAwait(false)).ToList();
        if (drafts.Count == 0)
            throw new MalformedAnswerException("generator", "sampled no chains");

        var (rejections, refinements) = await ReflectAndRefineAsync(roles, request, drafts, degraded, cancellationToken).ConfigureAwait(false);
        var rewards = await ScoreOnHeldOutAsync(roles, request, drafts, degraded, cancellationToken).ConfigureAwait(false);
        var best = SelectBest(drafts, rewards);
        var selected = drafts[best];

        IReadOnlyList<ExplorationCandidate> exploration = [];
        if (roles.Explorer is { } explorer && _options.ExplorationCandidates > 0)
        {
            try
            {
                exploration = await TimedAsync("explorer", () => explorer.ProposeAsync(request, _options.ExplorationCandidates, cancellationToken)).ConfigureAwait(false);
            }
            catch (Exception ex) when (IsRoleFailure(ex, cancellationToken))
            {
                degraded.Add("explorer");
            }
        }

        IReadOnlyList<float> embedding = [], promptEmbedding = [];
        if (roles.Encoder is { } encoder)
        {
            try
            {
                IReadOnlyList<string> texts = _options.EmbedPrompt ? [selected.Text, PromptOf(request)] : [selected.Text];
                var vectors = await TimedAsync("encoder", () => encoder.EncodeAsync(texts, cancellationToken)).ConfigureAwait(false);
                embedding = vectors[0];
                promptEmbedding = _options.EmbedPrompt ? vectors[1] : [];
            }
            catch (Exception ex) when (IsRoleFailure(ex, cancellationToken))
            {
                degraded.Add("encoder");
            }
        }

        var samples = drafts.Select((d, i) => new SampledChain(i, d, rewards[i])).ToList();
        var chain = new Chain(
            ChainIds.For(request.UserId, request.HistoryVersion, roles.Generator.Version),
            request.UserId,
            selected.Text,
            roles.Generator.Version,
            request.AsOf,
            request.HistoryVersion,
            embedding,
            exploration.Select(c => c.Category).ToList())
        {
            Claims = selected.Claims,
            LogProbability = selected.LogProbability,
            HeldOutReward = rewards[best],
            PromptEmbedding = promptEmbedding,
            Versions = roles.Versions,
            Samples = samples,
            SelectedIndex = best,
            HeldOutImpressionIds = request.HeldOut.Select(h => h.ImpressionId).ToHashSet(StringComparer.Ordinal),
            DegradedRoles = degraded.Distinct(StringComparer.Ordinal).ToList(),
            Request = request,
        };
        return new ChainGeneration(chain, rejections, refinements);
    }

    /// <summary>The validator's scores of <paramref name="items"/> under <paramref name="chain"/>, timed like every other role call.</summary>
    public async Task<IReadOnlyList<double>> ScoreAsync(ChainRequest request, ChainDraft chain, IReadOnlyList<CandidateItem> items, CancellationToken cancellationToken)
    {
        var serving = Take();
        try
        {
            return await ScoreAsync(serving.Roles, request, chain, items, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            serving.Exit();
        }
    }

    /// <summary>The validator's p for one item under <paramref name="chain"/>; an answer that is not exactly one score is malformed.</summary>
    public async Task<double> ScoreAsync(ChainRequest request, ChainDraft chain, CandidateItem item, CancellationToken cancellationToken)
    {
        var scores = await ScoreAsync(request, chain, [item], cancellationToken).ConfigureAwait(false);
        return scores.Count == 1 ? scores[0] : throw new MalformedAnswerException("validator", $"{scores.Count} scores for one item");
    }

    /// <summary>
    /// The per-impression scorer's p for one item under <paramref name="chain"/> (the feature's validator score and
    /// the feedback rewards); the scorer is the validator unless a cheaper one is configured.
    /// </summary>
    public async Task<double> ScoreImpressionAsync(ChainRequest request, ChainDraft chain, CandidateItem item, CancellationToken cancellationToken)
    {
        var serving = Take();
        IReadOnlyList<double> scores;
        try
        {
            scores = await TimedAsync("scorer", () => serving.Roles.ImpressionScorer.ScoreAsync(request, chain, [item], cancellationToken)).ConfigureAwait(false);
        }
        finally
        {
            serving.Exit();
        }
        return scores.Count == 1 ? scores[0] : throw new MalformedAnswerException("validator", $"{scores.Count} scores for one item");
    }

    private Task<IReadOnlyList<double>> ScoreAsync(ChainRoles roles, ChainRequest request, ChainDraft chain, IReadOnlyList<CandidateItem> items, CancellationToken cancellationToken) =>
        TimedAsync("validator", () => roles.Validator.ScoreAsync(request, chain, items, cancellationToken));

    /// <summary>
    /// The text the prompt embedding is made from: what the generator read (items and signals), in a stable form
    /// that does not depend on the backend. It goes to the encoder only, never to a model that follows
    /// instructions, so titles are left plain (fence markers would only blur the embedding).
    /// </summary>
    public static string PromptOf(ChainRequest request) => Render(request, text => text);

    /// <summary>
    /// <see cref="PromptOf"/> with every title and category fenced, escaped and length-limited: the prompt text a
    /// model may read (the embedded generator's prompt in preference records, which external trainers feed to LLMs).
    /// </summary>
    public static string FencedPromptOf(ChainRequest request) => Render(request, text => PromptText.Quote(text, 120));

    private static string Render(ChainRequest request, Func<string, string> userText)
    {
        ArgumentNullException.ThrowIfNull(request);
        var lines = request.History.Select(h => $"{h.Signal.ToString().ToLowerInvariant()}: {userText(h.Title ?? h.ItemId)} ({string.Join(", ", h.Categories.Select(userText))})");
        return string.Join("\n", lines);
    }

    // Each draft's judge-and-refine rounds are independent of the others', so the n drafts are reflected at once
    // (an LLM endpoint sees n requests in flight instead of n in a row); results keep sampling order.
    private async Task<(int Rejections, int Refinements)> ReflectAndRefineAsync(ChainRoles roles, ChainRequest request, List<ChainDraft> drafts, List<string> degraded, CancellationToken cancellationToken)
    {
        if (roles.Reflector is not { } reflector || _options.ReflectionRounds == 0)
            return (0, 0);
        var outcomes = await Task.WhenAll(drafts.Select(d => ReflectOneAsync(roles, reflector, request, d, cancellationToken))).ConfigureAwait(false);
        int rejections = 0, refinements = 0;
        for (var i = 0; i < drafts.Count; i++)
        {
            drafts[i] = outcomes[i].Draft;
            rejections += outcomes[i].Rejections;
            refinements += outcomes[i].Refinements;
            if (outcomes[i].Failed is { } role)
                degraded.Add(role);
        }
        return (rejections, refinements);
    }

    private async Task<(ChainDraft Draft, int Rejections, int Refinements, string? Failed)> ReflectOneAsync(ChainRoles roles, IChainReflector reflector, ChainRequest request, ChainDraft draft, CancellationToken cancellationToken)
    {
        int rejections = 0, refinements = 0;
        for (var round = 0; round < _options.ReflectionRounds; round++)
        {
            Reflection verdict;
            try
            {
                var current = draft;
                verdict = await TimedAsync("reflector", () => reflector.ReflectAsync(request, current, cancellationToken)).ConfigureAwait(false);
            }
            catch (Exception ex) when (IsRoleFailure(ex, cancellationToken))
            {
                return (draft, rejections, refinements, "reflection");
            }
            if (verdict.Accepted)
                break;
            rejections++;
            try
            {
                var current = draft;
                var refined = await TimedAsync("generator", () => roles.Generator.RefineAsync(request, current, verdict, cancellationToken)).ConfigureAwait(false);
                draft = refined with { Refinements = draft.Refinements + 1 };
                refinements++;
            }
            catch (Exception ex) when (IsRoleFailure(ex, cancellationToken))
            {
                return (draft, rejections, refinements, "refinement");
            }
        }
        return (draft, rejections, refinements, null);
    }

    private async Task<double?[]> ScoreOnHeldOutAsync(ChainRoles roles, ChainRequest request, List<ChainDraft> drafts, List<string> degraded, CancellationToken cancellationToken)
    {
        var rewards = new double?[drafts.Count];
        if (request.HeldOut.Count == 0)
            return rewards;
        var items = request.HeldOut.Select(h => h.Item).ToList();
        try
        {
            var scores = await Task.WhenAll(drafts.Select(d => ScoreAsync(roles, request, d, items, cancellationToken))).ConfigureAwait(false);
            var clicked = request.HeldOut.Select(h => h.Clicked).ToList();
            for (var i = 0; i < drafts.Count; i++)
                rewards[i] = Rewards.Mean(_options.Reward, scores[i], clicked);
        }
        catch (Exception ex) when (IsRoleFailure(ex, cancellationToken))
        {
            degraded.Add("validator");
            Array.Clear(rewards);
        }
        return rewards;
    }

    // Highest held-out reward; without rewards (none held out, a failed validator, or a rule the outcomes cannot
    // satisfy), the generator's most likely chain; ties keep sampling order.
    private static int SelectBest(List<ChainDraft> drafts, double?[] rewards)
    {
        var best = 0;
        for (var i = 1; i < drafts.Count; i++)
        {
            var (a, b) = (rewards[i], rewards[best]);
            var better = a.HasValue && b.HasValue ? a.Value > b.Value
                : a.HasValue ? true
                : !b.HasValue && (drafts[i].LogProbability ?? double.NegativeInfinity) > (drafts[best].LogProbability ?? double.NegativeInfinity);
            if (better)
                best = i;
        }
        return best;
    }

    // Failed and cancelled calls are recorded too: a timing-out endpoint must show in the latency, not vanish from it.
    private async Task<T> TimedAsync<T>(string role, Func<Task<T>> call)
    {
        if (_metrics is null)
            return await call().ConfigureAwait(false);
        var started = _time.GetTimestamp();
        try
        {
            return await call().ConfigureAwait(false);
        }
        finally
        {
            _metrics.ModelCall(role, _time.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    private static bool IsRoleFailure(Exception ex, CancellationToken cancellationToken) =>
        !cancellationToken.IsCancellationRequested && ex is not OutOfMemoryException;
}
