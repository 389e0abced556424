using System.CommandLine;
using TrackRec.Streaming.Training.Encoder;

namespace TrackRec.Streaming.Cli.Commands;

/// <summary>`--encoder minilm|scratch`, the encoder role a command trains: one rule for `train` and `eval`.</summary>
internal static class EncoderOption
{
    public static Option<string> Create() => new("--encoder")
    {
        Description = "Encoder role: minilm (all-MiniLM-L6-v2, frozen, under a trained contrastive adapter) or scratch (trained from scratch)",
        DefaultValueFactory = _ => "minilm",
    };

    /// <summary>What is wrong with the value, or null.</summary>
    public static string? Problem(string? value) => value is "minilm" or "scratch" ? null : "--encoder must be minilm or scratch";

    public static EncoderKind KindOf(string? value) => value == "scratch" ? EncoderKind.Scratch : EncoderKind.Pretrained;
}
