namespace TrackRec.Streaming.Inputs;

/// <summary>
/// Knobs of <see cref="StreamSimulator"/>. Every default is fixed (including <see cref="Start"/>) so that a
/// seed alone names a reproducible stream.
/// </summary>
public sealed record SimulatorOptions
{
    /// <summary>The only source of randomness; the same seed gives the same stream, ids included.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Number of simulated users.</summary>
    public int Users { get; init; } = 200;

    /// <summary>Number of catalog items.</summary>
    public int Items { get; init; } = 400;

    /// <summary>Number of named categories in use (3 to <see cref="StreamSimulator.MaxCategories"/>).</summary>
    public int Categories { get; init; } = 12;

    /// <summary>Impressions shown to each user over the whole run.</summary>
    public int ImpressionsPerUser { get; init; } = 40;

    /// <summary>Event time of the earliest possible session.</summary>
    public DateTimeOffset Start { get; init; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Mean of the exponential gap between the end of a user's session and the start of the next.</summary>
    public TimeSpan MeanSessionGap { get; init; } = TimeSpan.FromHours(6);

    /// <summary>Click probability for an item the user is neutral about.</summary>
    public double BaseClickProbability { get; init; } = 0.1;

    /// <summary>How strongly taste moves the click probability (added to its log-odds, times the taste in [-1.5, 1]).</summary>
    public double TasteSensitivity { get; init; } = 2.5;

    /// <summary>Share of clicks that carry their impression id; the rest must be attributed by user and item.</summary>
    public double ClickImpressionIdProbability { get; init; } = 0.8;

    /// <summary>Probability that a click is followed by a comment.</summary>
    public double CommentProbability { get; init; } = 0.2;
}
