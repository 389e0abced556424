using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace TrackRec.Streaming.Kafka.Embedded.Registry;

/// <summary>
/// Rejects requests without the configured basic-auth credentials, answering as Confluent's registry does
/// (401 with an error body), so clients' auth settings can be tested against the embedded registry.
/// </summary>
internal sealed class BasicAuthentication(string userInfo)
{
    private readonly byte[] _expected = Encoding.UTF8.GetBytes(userInfo);

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (IsAuthorized(context.Request.Headers.Authorization.ToString()))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        context.Response.Headers.WWWAuthenticate = "Basic realm=\"trackrec-embedded-registry\"";
        await RegistryErrors.Write(context, StatusCodes.Status401Unauthorized, 401, "Unauthorized").ConfigureAwait(false);
    }

    private bool IsAuthorized(string header)
    {
        if (!AuthenticationHeaderValue.TryParse(header, out var value)
            || !string.Equals(value.Scheme, "Basic", StringComparison.OrdinalIgnoreCase)
            || value.Parameter is null)
            return false;
        byte[] presented;
        try
        {
            presented = Convert.FromBase64String(value.Parameter);
        }
        catch (FormatException)
        {
            return false;
        }

        // Constant time, so the comparison does not reveal how much of a guess was right.
        return CryptographicOperations.FixedTimeEquals(presented, _expected);
    }
}
