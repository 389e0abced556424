using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace TrackRec.Streaming.Models.Onnx;

/// <summary>
/// Settings of an ONNX sentence encoder (section <see cref="Section"/>): the exported model and its WordPiece
/// vocabulary, which output to read, and how texts are cut and batched. The same settings load a
/// user-supplied BGE/MiniLM export and the encoder <c>trackrec train</c> makes, so both take one path.
/// Every validation message names the full configuration key, so a bad deployment says what to fix.
/// </summary>
public sealed class OnnxEncoderOptions : IValidatableObject
{
    /// <summary>Configuration section.</summary>
    public const string Section = "TrackRec:Models:Encoder";

    private const string Key = Section + ":";

    /// <summary>Path of the .onnx file (inputs input_ids, attention_mask and optionally token_type_ids).</summary>
    public string ModelPath { get; set; } = string.Empty;

    /// <summary>Path of the BERT-style vocab.txt the model was trained with (one token per line; line number = id).</summary>
    public string VocabPath { get; set; } = string.Empty;

    /// <summary>
    /// Output to read; unset picks "sentence_embedding", else "last_hidden_state", else the first output.
    /// A 2-D output is taken as already pooled; a 3-D one is mean-pooled over the attention mask.
    /// </summary>
    public string? OutputName { get; set; }

    /// <summary>Most tokens per text, [CLS] and [SEP] included; longer texts are cut.</summary>
    [Range(3, 8192, ErrorMessage = Key + "MaxSequenceLength must be between 3 and 8192")]
    public int MaxSequenceLength { get; set; } = 128;

    /// <summary>Texts per ONNX Runtime call; more texts are split into several calls.</summary>
    [Range(1, 4096, ErrorMessage = Key + "BatchSize must be between 1 and 4096")]
    public int BatchSize { get; set; } = 32;

    /// <summary>Lower-case (and strip accents from) texts before WordPiece, as uncased BERT vocabularies expect.</summary>
    public bool LowerCase { get; set; } = true;

    /// <summary>
    /// Threads ONNX Runtime may use inside one call; 0 lets it decide (all cores). The worker encodes for
    /// several partitions at once, so one thread per call keeps them from fighting over cores.
    /// </summary>
    [Range(0, 256, ErrorMessage = Key + "IntraOpThreads must be between 0 and 256")]
    public int IntraOpThreads { get; set; } = 1;

    /// <summary>Version carried by every embedding; unset derives one from the model file's name and content hash.</summary>
    public string? Version { get; set; }

    /// <summary>Every problem of the settings, each naming its key; empty when they are valid.</summary>
    public static IReadOnlyList<string> Validate(OnnxEncoderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var results = new List<ValidationResult>();
        var context = new ValidationContext(options);
        // The attribute checks skip IValidatableObject when one of them fails; run it anyway, so one pass names every bad setting.
        if (!Validator.TryValidateObject(options, context, results, validateAllProperties: true))
            results.AddRange(options.Validate(context));
        return results.Select(r => r.ErrorMessage ?? string.Join(", ", r.MemberNames)).ToList();
    }

    /// <summary>Throws <see cref="OptionsValidationException"/> listing every problem when the settings are invalid.</summary>
    public static void ThrowIfInvalid(OnnxEncoderOptions options)
    {
        var problems = Validate(options);
        if (problems.Count > 0)
            throw new OptionsValidationException(Section, typeof(OnnxEncoderOptions), problems);
    }

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(ModelPath))
            yield return new ValidationResult($"{Key}ModelPath is required: the exported .onnx sentence encoder", [nameof(ModelPath)]);
        else if (!File.Exists(ModelPath))
            yield return new ValidationResult($"{Key}ModelPath: file not found: {Path.GetFullPath(ModelPath)}", [nameof(ModelPath)]);
        if (string.IsNullOrWhiteSpace(VocabPath))
            yield return new ValidationResult($"{Key}VocabPath is required: the model's WordPiece vocab.txt", [nameof(VocabPath)]);
        else if (!File.Exists(VocabPath))
            yield return new ValidationResult($"{Key}VocabPath: file not found: {Path.GetFullPath(VocabPath)}", [nameof(VocabPath)]);
        if (OutputName is { } output && string.IsNullOrWhiteSpace(output))
            yield return new ValidationResult($"{Key}OutputName must be unset or name an output of the model", [nameof(OutputName)]);
        if (Version is { } version && string.IsNullOrWhiteSpace(version))
            yield return new ValidationResult($"{Key}Version must be unset or a non-empty version string", [nameof(Version)]);
    }
}
