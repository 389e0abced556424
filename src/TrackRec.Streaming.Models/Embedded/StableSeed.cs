using System.Security.Cryptography;
using System.Text;

namespace TrackRec.Streaming.Models.Embedded;

/// <summary>
/// Seeds for sampling derived from what is being sampled (user, history version, model version), so a
/// replay of the same stream with the same models samples the same chains.
/// </summary>
public static class StableSeed
{
    /// <summary>A seed from the parts, independent of process and platform.</summary>
    public static int Of(params string[] parts)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001f', parts)));
        return BitConverter.ToInt32(bytes, 0) & int.MaxValue;
    }
}
