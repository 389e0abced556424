using System.Reflection;
using Avro;

namespace TrackRec.Streaming.Kafka.Serialization;

/// <summary>
/// The public contract's Avro schemas, parsed once from the .avsc files embedded at build time, so code
/// never carries a second copy of the contract that could drift from <c>schemas/</c>.
/// </summary>
public static class ContractSchemas
{
    /// <summary>Namespace of every contract record; a breaking change gets a new one (v2).</summary>
    public const string Namespace = "io.trackrec.streaming.v1";

    /// <summary>schemas/impression.avsc.</summary>
    public static RecordSchema Impression { get; } = Load("impression.avsc");

    /// <summary>schemas/click.avsc.</summary>
    public static RecordSchema Click { get; } = Load("click.avsc");

    /// <summary>schemas/comment.avsc.</summary>
    public static RecordSchema Comment { get; } = Load("comment.avsc");

    /// <summary>schemas/item.avsc (the item catalog).</summary>
    public static RecordSchema Item { get; } = Load("item.avsc");

    /// <summary>schemas/chain_feature.avsc.</summary>
    public static RecordSchema ChainFeature { get; } = Load("chain_feature.avsc");

    /// <summary>schemas/user_chain.avsc.</summary>
    public static RecordSchema UserChain { get; } = Load("user_chain.avsc");

    /// <summary>schemas/outcome.avsc.</summary>
    public static RecordSchema Outcome { get; } = Load("outcome.avsc");

    /// <summary>schemas/dead_letter.avsc.</summary>
    public static RecordSchema DeadLetter { get; } = Load("dead_letter.avsc");

    /// <summary>schemas/batch_manifest.avsc.</summary>
    public static RecordSchema BatchManifest { get; } = Load("batch_manifest.avsc");

    /// <summary>Every contract schema, for registries that must know them all up front.</summary>
    public static IReadOnlyList<RecordSchema> All { get; } =
        [Impression, Click, Comment, Item, ChainFeature, UserChain, Outcome, DeadLetter, BatchManifest];

    /// <summary>Parses the embedded schema file <paramref name="fileName"/> (for example "impression.avsc").</summary>
    public static RecordSchema Load(string fileName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(fileName);
        var resource = "schemas/" + fileName;
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"embedded schema '{resource}' is missing from the build");
        using var reader = new StreamReader(stream);
        return Schema.Parse(reader.ReadToEnd()) as RecordSchema
            ?? throw new InvalidOperationException($"embedded schema '{resource}' is not a record schema");
    }
}
