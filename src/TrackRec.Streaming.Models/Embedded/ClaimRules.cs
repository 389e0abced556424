using System.Globalization;
using TrackRec.Streaming.Chains;

namespace TrackRec.Streaming.Models.Embedded;

/// <summary>
/// When the history supports a claim. The critic applies these rules; the generator's candidates are
/// not filtered by them, because catching unsupported claims is reflection's job.
/// </summary>
public static class ClaimRules
{
    /// <summary>The verdict on one claim and the reason, phrased for a critique.</summary>
    public static (ClaimVerdict Verdict, string Reason) Judge(ChainClaim claim, CategoryEvidence evidence)
    {
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(evidence);
        var c = claim.Subject;
        int engaged = evidence.Engaged(c), skipped = evidence.Skipped(c);
        string Counts() => string.Create(CultureInfo.InvariantCulture, $"{engaged} engagements, {skipped} impressions passed over");
        return claim.Kind switch
        {
            ClaimKind.Affinity when engaged == 0 => (ClaimVerdict.Unsupported, $"no engagement with {c} in the history"),
            ClaimKind.Affinity when skipped >= 4 && skipped > 3 * engaged => (ClaimVerdict.Contradicted, $"{c} was mostly passed over ({Counts()})"),
            ClaimKind.Aversion when engaged > 0 && 2 * engaged >= skipped => (ClaimVerdict.Contradicted, $"the user engages with {c} ({Counts()})"),
            ClaimKind.Aversion when skipped < 2 => (ClaimVerdict.Unsupported, $"{c} was passed over only {skipped} time(s)"),
            ClaimKind.RecentShift when evidence.RecentEngaged(c) == 0 => (ClaimVerdict.Unsupported, $"no recent engagement with {c}"),
            ClaimKind.RecentShift when evidence.EarlierEngaged(c) > evidence.RecentEngaged(c) => (ClaimVerdict.Contradicted, $"{c} is a long-standing interest, not a recent shift"),
            ClaimKind.ExplorationHint when engaged > 0 => (ClaimVerdict.Contradicted, $"{c} is not new to the user ({Counts()})"),
            // A prior is what a user with no engagement yet has to go on; once the history engages elsewhere it points away.
            ClaimKind.PopularPrior when engaged == 0 && evidence.TotalEngaged > 0 => (ClaimVerdict.Unsupported, $"{c} is popular overall, but nothing in this history points to it"),
            _ => (ClaimVerdict.Supported, Counts()),
        };
    }
}
