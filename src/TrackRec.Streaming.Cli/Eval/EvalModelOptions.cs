using System.CommandLine;
using TrackRec.Streaming.Chains;
using TrackRec.Streaming.Feedback;
using TrackRec.Streaming.Processing;
using TrackRec.Streaming.Cli.Commands;
using TrackRec.Streaming.Training.Ctr;
using TrackRec.Streaming.Training.Evaluation;

namespace TrackRec.Streaming.Cli.Eval;

/// <summary>
/// `eval`'s choice of models: the encoder role round 0 makes (--encoder), the CTR backbone every row trains
/// (--backbone), best-of-n's n (--samples), how many of a user's newest outcomes judge a generation
/// (--held-out-outcomes), how they make a reward (--reward) and whether the prompt is embedded (--embed-prompt).
/// </summary>
internal sealed class EvalModelOptions
{
    private readonly Option<string> _encoder = EncoderOption.Create();
    private readonly Option<int> _samples = new("--samples") { Description = "Chains sampled per generation (best-of-n; TrackRec uses 10), in the features and in every round", DefaultValueFactory = _ => 10 };
    private readonly Option<bool> _realign = new("--realign-encoder") { Description = "Each round also retrains the encoder on the new generator's chains, as it retrains the validator" };
    private readonly Option<int> _heldOut = new("--held-out-outcomes")
    {
        Description = "A user's newest labelled outcomes kept out of the prompt and used to score a generation's samples (the worker's HeldOutOutcomes)",
        DefaultValueFactory = _ => new GenerationOptions().HeldOutOutcomes,
    };
    private readonly Option<string> _reward = new("--reward")
    {
        Description = "How a chain's scores on labelled outcomes become its reward, in selection and in every round's preference records: accuracy (TrackRec's) or balanced (the mean of the click and the pass class means)",
        DefaultValueFactory = _ => new GenerationOptions().Reward.ToString().ToLowerInvariant(),
    };
    private readonly Option<bool> _embedPrompt = new("--embed-prompt")
    {
        Description = "Also embed each generation's prompt, as a feature of Full (the worker's TrackRec:Pipeline:Writer:EmbedPrompt); --embed-prompt false measures Full without it",
        DefaultValueFactory = _ => new GenerationOptions().EmbedPrompt,
    };
    private readonly Option<int> _minLabels = new("--min-labels")
    {
        Description = "Labelled outcomes a generation needs before a round makes it a preference record (the worker's TrackRec:Feedback:MinLabels)",
        DefaultValueFactory = _ => new FeedbackOptions().MinLabels,
    };
    private readonly Option<string> _backbone = new("--backbone") { Description = "CTR backbone of every row: din or dcn", DefaultValueFactory = _ => "din" };

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(_encoder);
        command.Options.Add(_backbone);
        command.Options.Add(_samples);
        command.Options.Add(_realign);
        command.Options.Add(_heldOut);
        command.Options.Add(_reward);
        command.Options.Add(_embedPrompt);
        command.Options.Add(_minLabels);
    }

    /// <summary>What is wrong with the parsed values, or null.</summary>
    public string? Problem(ParseResult parse) =>
        EncoderOption.Problem(parse.GetValue(_encoder))
        ?? (parse.GetValue(_backbone) is not ("din" or "dcn") ? "--backbone must be din or dcn" : null)
        ?? (parse.GetValue(_samples) is < 2 or > 64 ? "--samples must be between 2 and 64" : null)
        ?? (parse.GetValue(_heldOut) is < 1 or > 100 ? "--held-out-outcomes must be between 1 and 100" : null)
        ?? (RewardOf(parse) is null ? "--reward must be accuracy or balanced" : null)
        ?? (parse.GetValue(_minLabels) is < 1 or > 1000 ? "--min-labels must be between 1 and 1000" : null);

    /// <summary><paramref name="options"/> with the chosen encoder, generation, feedback and backbone settings.</summary>
    public EvalOptions Apply(ParseResult parse, EvalOptions options)
    {
        var pipeline = options.Pipeline.Copy();
        pipeline.Feedback = options.Pipeline.Feedback.Copy();
        pipeline.Feedback.MinLabels = parse.GetValue(_minLabels);
        return options with
        {
            Encoder = EncoderOption.KindOf(parse.GetValue(_encoder)),
            RealignEncoder = parse.GetValue(_realign),
            Writer = new GenerationOptions { Samples = parse.GetValue(_samples), HeldOutOutcomes = parse.GetValue(_heldOut), Reward = RewardOf(parse)!.Value, EmbedPrompt = parse.GetValue(_embedPrompt) }, // the worker's other generation settings
            Pipeline = pipeline,
            Ctr = options.Ctr with { Backbone = parse.GetValue(_backbone) == "dcn" ? CtrBackbone.Dcn : CtrBackbone.Din },
        };
    }

    private RewardRule? RewardOf(ParseResult parse) => parse.GetValue(_reward) switch
    {
        "accuracy" => RewardRule.Accuracy,
        "balanced" => RewardRule.Balanced,
        _ => null,
    };
}
