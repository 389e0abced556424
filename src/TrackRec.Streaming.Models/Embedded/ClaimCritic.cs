using TrackRec.Streaming.Chains;

namespace TrackRec.Streaming.Models.Embedded;

/// <summary>
/// The embedded reflection model: checks every claim of a chain against the history's evidence and
/// names the unsupported and contradicted ones, so refinement can replace exactly those. Free-text
/// chains (from an LLM) have no claims to check and are accepted as they are.
/// </summary>
public sealed class ClaimCritic : IChainReflector
{
    /// <inheritdoc />
    public string Version => "claim-critic-1";

    /// <inheritdoc />
    public Task<Reflection> ReflectAsync(ChainRequest request, ChainDraft draft, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(draft);
        var evidence = CategoryEvidence.From(request.History);
        var problems = new List<string>();
        var failed = new List<string>();
        foreach (var claim in draft.Claims)
        {
            var (verdict, reason) = ClaimRules.Judge(claim, evidence);
            if (verdict == ClaimVerdict.Supported)
                continue;
            failed.Add(claim.Text);
            problems.Add($"\"{claim.Text}\" is {verdict.ToString().ToLowerInvariant()}: {reason}");
        }
        var result = failed.Count == 0
            ? Reflection.Accept()
            : new Reflection(false, string.Join("; ", problems), failed);
        return Task.FromResult(result);
    }
}
