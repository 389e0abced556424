using System.Security.Cryptography;
using System.Text;

namespace TrackRec.Streaming.Chains;

/// <summary>Deterministic chain ids, so a replay or a retry names the same chain the same way.</summary>
public static class ChainIds
{
    /// <summary>The id of the chain written for a user at a history version by a generator version.</summary>
    public static string For(string userId, long historyVersion, string generatorVersion)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes($"{userId}\n{historyVersion}\n{generatorVersion}"));
        return Convert.ToHexStringLower(bytes.AsSpan(0, 12));
    }
}
