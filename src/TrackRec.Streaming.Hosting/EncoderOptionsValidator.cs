using Microsoft.Extensions.Options;
using TrackRec.Streaming.Models.Onnx;

namespace TrackRec.Streaming.Hosting;

/// <summary>
/// Checks a user-supplied ONNX encoder (section TrackRec:Models:Encoder) at start-up, naming the bad key.
/// The section is optional: when neither ModelPath nor VocabPath is set, the backend's own encoder serves.
/// </summary>
public sealed class EncoderOptionsValidator : IValidateOptions<OnnxEncoderOptions>
{
    /// <summary>True when the settings ask for a user-supplied encoder.</summary>
    public static bool IsConfigured(OnnxEncoderOptions options) =>
        !string.IsNullOrWhiteSpace(options?.ModelPath) || !string.IsNullOrWhiteSpace(options?.VocabPath);

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, OnnxEncoderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!IsConfigured(options))
            return ValidateOptionsResult.Success;
        var problems = OnnxEncoderOptions.Validate(options);
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
