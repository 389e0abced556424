using System.Runtime.CompilerServices;
using System.Text.Json;
using Avro;
using TrackRec.Streaming.Kafka.Serialization;
using Xunit;

namespace TrackRec.Streaming.Tests.Serialization;

public sealed class ContractSchemaFileTests
{
    private static readonly string[] Expected =
        ["impression", "click", "comment", "item", "chain_feature", "user_chain", "outcome", "dead_letter", "batch_manifest"];

    public static TheoryData<string> SchemaFiles()
    {
        var data = new TheoryData<string>();
        foreach (var name in Expected)
            data.Add(name + ".avsc");
        return data;
    }

    // With TRACKREC_ARTIFACTS the binaries live outside the repo, so also walk up from this source file.
    private static string SchemasDirectory([CallerFilePath] string sourceFile = "")
    {
        string?[] starts = [AppContext.BaseDirectory, Path.GetDirectoryName(sourceFile)];
        foreach (var start in starts.OfType<string>())
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "TrackRec.Streaming.sln")))
                    return Path.Combine(dir.FullName, "schemas");
            }
        }

        throw new InvalidOperationException($"no TrackRec.Streaming.sln above {AppContext.BaseDirectory} or {sourceFile}");
    }

    [Fact]
    public void Schemas_folder_holds_exactly_the_contract()
    {
        var names = Directory.GetFiles(SchemasDirectory(), "*.avsc").Select(Path.GetFileNameWithoutExtension).Order();
        Assert.Equal(Expected.Order(), names);
    }

    [Theory]
    [MemberData(nameof(SchemaFiles))]
    public void Schema_file_parses_and_documents_every_record_and_field(string file)
    {
        var json = File.ReadAllText(Path.Combine(SchemasDirectory(), file));
        var schema = Assert.IsType<RecordSchema>(Schema.Parse(json), exactMatch: false);
        Assert.Equal(ContractSchemas.Namespace, schema.Namespace);
        Assert.False(string.IsNullOrWhiteSpace(schema.Documentation), $"{schema.Fullname} has no doc");
        foreach (var field in schema.Fields)
        {
            Assert.False(string.IsNullOrWhiteSpace(field.Documentation), $"{schema.Fullname}.{field.Name} has no doc");
            Assert.Matches("^[a-z][a-z0-9_]*$", field.Name);
        }

        // Named types nested in fields (enums) are part of the contract too.
        using var doc = JsonDocument.Parse(json);
        foreach (var named in NamedTypes(doc.RootElement))
            Assert.True(named.TryGetProperty("doc", out var d) && d.GetString()!.Length > 0, $"{named} has no doc");
    }

    [Theory]
    [MemberData(nameof(SchemaFiles))]
    public void Embedded_copy_matches_the_file(string file)
    {
        var fromFile = Schema.Parse(File.ReadAllText(Path.Combine(SchemasDirectory(), file)));
        var embedded = ContractSchemas.Load(file);
        Assert.Equal(SchemaNormalization.ToParsingForm(fromFile), SchemaNormalization.ToParsingForm(embedded));
        Assert.Equal(fromFile.ToString(), embedded.ToString());
    }

    [Fact]
    public void Schema_text_sent_to_a_registry_keeps_docs_and_defaults()
    {
        // A registry checks compatibility on the text we register, so defaults must survive Avro's ToString.
        using var doc = JsonDocument.Parse(ContractSchemas.ChainFeature.ToString());
        var fields = doc.RootElement.GetProperty("fields").EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!);
        Assert.Equal("", fields["chain_text"].GetProperty("default").GetString());
        Assert.Equal(JsonValueKind.Null, fields["chain_id"].GetProperty("default").ValueKind);
        Assert.Equal(0, fields["embedding"].GetProperty("default").GetArrayLength());
        Assert.Equal("DEGRADED", fields["source"].GetProperty("type").GetProperty("default").GetString());
        Assert.True(fields["source"].TryGetProperty("doc", out _));
        Assert.True(doc.RootElement.TryGetProperty("doc", out _));
    }

    [Fact]
    public void Behaviour_events_share_the_json_lines_field_names()
    {
        foreach (var schema in new[] { ContractSchemas.Impression, ContractSchemas.Click, ContractSchemas.Comment })
        {
            foreach (var name in new[] { "event_id", "user_id", "item_id", "ts" })
                Assert.True(schema.Contains(name), $"{schema.Name} lacks {name}");
            Assert.Equal("timestamp-millis", ((LogicalSchema)schema["ts"].Schema).LogicalTypeName);
        }
    }

    private static IEnumerable<JsonElement> NamedTypes(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                if (element.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String
                    && t.GetString() is "record" or "enum" or "fixed")
                {
                    yield return element;
                }

                foreach (var property in element.EnumerateObject())
                {
                    foreach (var inner in NamedTypes(property.Value))
                        yield return inner;
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    foreach (var inner in NamedTypes(item))
                        yield return inner;
                }

                break;
        }
    }
}
