using System.CommandLine;
using TrackRec.Streaming.Inputs;

namespace TrackRec.Streaming.Cli.Commands;

/// <summary>
/// The input options shared by demo, train, eval and bench: a JSON-lines file, a MovieLens directory, a MIND
/// directory, or the simulator (the default), and how to read them.
/// </summary>
internal sealed class InputOptions
{
    private readonly Option<string?> _events = new("--events") { Description = "A JSON-lines file of item/impression/click/comment records instead of the simulator" };
    private readonly Option<string?> _movielens = new("--movielens") { Description = "A MovieLens directory (ratings.csv, movies.csv, tags.csv) instead of the simulator" };
    private readonly Option<string?> _mind = new("--mind") { Description = "A MIND directory (behaviors.tsv, news.tsv) instead of the simulator" };
    private readonly Option<int> _seed = new("--seed") { Description = "Simulator seed (also seeds training)", DefaultValueFactory = _ => 42 };
    private readonly Option<int> _users = new("--users") { Description = "Simulated users", DefaultValueFactory = _ => 200 };
    private readonly Option<int> _impressions = new("--impressions-per-user") { Description = "Simulated impressions per user", DefaultValueFactory = _ => 40 };
    private readonly Option<int?> _maxUsers = new("--max-users") { Description = "Read only the first N MovieLens or MIND users" };

    /// <summary>Adds the options to a command.</summary>
    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _events, _movielens, _mind, _seed, _users, _impressions, _maxUsers })
            command.Options.Add(option);
    }

    /// <summary>The input as parsed.</summary>
    public InputSelection Parse(ParseResult parse) => new(
        parse.GetValue(_events), parse.GetValue(_movielens), parse.GetValue(_seed), parse.GetValue(_users), parse.GetValue(_impressions), parse.GetValue(_maxUsers))
    {
        MindDirectory = parse.GetValue(_mind),
    };
}

/// <summary>Where events come from, as given on the command line.</summary>
internal sealed record InputSelection(string? EventsFile, string? MovieLensDirectory, int Seed = 42, int Users = 200, int ImpressionsPerUser = 40, int? MaxUsers = null)
{
    /// <summary>A MIND directory, or null.</summary>
    public string? MindDirectory { get; init; }

    /// <summary>What is wrong with the options, or null.</summary>
    public string? Problem() => this switch
    {
        _ when new[] { EventsFile, MovieLensDirectory, MindDirectory }.Count(x => x is not null) > 1 => "--events, --movielens and --mind cannot be combined",
        { EventsFile: { } f } when !File.Exists(f) => $"--events: no file '{f}'",
        { MovieLensDirectory: { } d } when !Directory.Exists(d) => $"--movielens: no directory '{d}'",
        { MindDirectory: { } m } when !File.Exists(Path.Combine(m, "behaviors.tsv")) => $"--mind: no behaviors.tsv in '{m}'",
        _ => null,
    };

    /// <summary>Reads the events and names their source.</summary>
    public (EventStream Stream, string Name) Load()
    {
        if (EventsFile is { } file)
            return (JsonLinesEventReader.ReadFile(file), $"events file {file}");
        if (MovieLensDirectory is { } dir)
            return (MovieLensReader.Read(dir, MaxUsers), $"movielens {dir}");
        if (MindDirectory is { } mind)
            return (MindReader.Read(mind, MaxUsers), $"mind {mind}");
        var simulator = new SimulatorOptions { Seed = Seed, Users = Users, ImpressionsPerUser = ImpressionsPerUser };
        return (StreamSimulator.Generate(simulator), $"simulator seed {Seed}");
    }
}
