namespace TrackRec.Streaming.Models.Llm;

/// <summary>One HTTP attempt's answer, read in full inside the attempt so the timeout covers a server that stalls mid-body.</summary>
internal sealed record EndpointReply(int StatusCode, string? ReasonPhrase, string Body, TimeSpan? RetryAfter = null)
{
    /// <summary>2xx.</summary>
    public bool IsSuccess => StatusCode is >= 200 and < 300;

    /// <summary>Worth another attempt: the server is overloaded or broken for now (5xx, 429 Too Many Requests, 408 Request Timeout).</summary>
    public bool IsTransient => StatusCode >= 500 || StatusCode is 429 or 408;
}
