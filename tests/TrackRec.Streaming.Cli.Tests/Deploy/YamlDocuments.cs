using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace TrackRec.Streaming.Tests.Deploy;

/// <summary>
/// YAML read into plain trees: mappings as <see cref="Dictionary{TKey,TValue}"/> (string keys, insertion order),
/// sequences as <see cref="List{T}"/>, scalars as strings. Enough to render and inspect manifests.
/// </summary>
internal static class YamlDocuments
{
    private static readonly IDeserializer Deserializer = new DeserializerBuilder().Build();

    public static List<Dictionary<string, object?>> LoadAll(string path)
    {
        using var reader = new StreamReader(path);
        var parser = new Parser(reader);
        parser.Consume<StreamStart>();
        var documents = new List<Dictionary<string, object?>>();
        while (parser.Accept<DocumentStart>(out _))
        {
            var document = Deserializer.Deserialize<object?>(parser);
            if (Normalize(document) is Dictionary<string, object?> map)
                documents.Add(map);
        }
        return documents;
    }

    public static Dictionary<string, object?> Load(string path) =>
        LoadAll(path) is [var single] ? single : throw new InvalidDataException($"{path}: expected exactly one YAML document");

    public static object? Normalize(object? node) => node switch
    {
        IDictionary<object, object?> map => map.ToDictionary(e => Convert.ToString(e.Key, System.Globalization.CultureInfo.InvariantCulture)!, e => Normalize(e.Value)),
        IList<object?> list => list.Select(Normalize).ToList(),
        _ => node is null ? null : Convert.ToString(node, System.Globalization.CultureInfo.InvariantCulture),
    };

    public static Dictionary<string, object?> Map(this Dictionary<string, object?> node, string key) =>
        node.GetValueOrDefault(key) as Dictionary<string, object?> ?? [];

    public static List<object?> List(this Dictionary<string, object?> node, string key) =>
        node.GetValueOrDefault(key) as List<object?> ?? [];

    public static IEnumerable<Dictionary<string, object?>> Maps(this Dictionary<string, object?> node, string key) =>
        node.List(key).OfType<Dictionary<string, object?>>();

    public static string? Text(this Dictionary<string, object?> node, string key) => node.GetValueOrDefault(key) as string;

    /// <summary>The value at a dotted path of mapping keys, e.g. "spec.template.spec".</summary>
    public static Dictionary<string, object?> At(this Dictionary<string, object?> node, string path) =>
        path.Split('.').Aggregate(node, (current, key) => current.Map(key));

    /// <summary>Every mapping anywhere in the tree, depth first (for "every container", "every env entry").</summary>
    public static IEnumerable<Dictionary<string, object?>> Descendants(object? node)
    {
        if (node is Dictionary<string, object?> map)
        {
            yield return map;
            foreach (var value in map.Values)
                foreach (var child in Descendants(value))
                    yield return child;
        }
        else if (node is List<object?> list)
            foreach (var item in list)
                foreach (var child in Descendants(item))
                    yield return child;
    }
}
