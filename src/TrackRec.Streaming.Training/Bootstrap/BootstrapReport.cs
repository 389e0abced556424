using TrackRec.Streaming.Models.Store;

namespace TrackRec.Streaming.Training.Bootstrap;

/// <summary>The model versions a bootstrap published, and what it trained on.</summary>
public sealed record BootstrapReport(IReadOnlyList<ModelCard> Cards, long Events, long Examples, TimeSpan Elapsed);
