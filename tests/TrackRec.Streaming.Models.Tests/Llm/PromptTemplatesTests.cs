using TrackRec.Streaming.Models.Llm;

namespace TrackRec.Streaming.Tests.Llm;

public sealed class PromptTemplatesTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("trackrec-prompts-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void The_embedded_templates_load_with_hashed_versions()
    {
        var templates = PromptTemplates.Load();

        Assert.Matches(@"^generator\.v1\+[0-9a-f]{8}$", templates.Generator.Version);
        Assert.Matches(@"^refine\.v1\+[0-9a-f]{8}$", templates.Refine.Version);
        Assert.Matches(@"^reflect\.v1\+[0-9a-f]{8}$", templates.Reflect.Version);
        Assert.Matches(@"^validator\.v1\+[0-9a-f]{8}$", templates.Validator.Version);
        Assert.Contains("summarize the user's preference within 200 words", templates.Generator.User, StringComparison.Ordinal);
        Assert.Contains("<summary>{{summary}}</summary>", templates.Validator.User, StringComparison.Ordinal);
        Assert.DoesNotContain("#", templates.Generator.System, StringComparison.Ordinal);
    }

    [Fact]
    public void An_override_directory_replaces_a_role_and_changes_its_version()
    {
        File.WriteAllText(Path.Combine(_directory, "generator.v2.txt"), "# mine\n@system\nBe brief.\n@user\nHistory:\n{{history}}\nSummarise.");

        var templates = PromptTemplates.Load(_directory);

        Assert.StartsWith("generator.v2+", templates.Generator.Version, StringComparison.Ordinal);
        Assert.Equal("Be brief.", templates.Generator.System);
        Assert.StartsWith("validator.v1+", templates.Validator.Version, StringComparison.Ordinal);
    }

    [Fact]
    public void Editing_a_template_changes_its_version_even_under_the_same_name()
    {
        var a = PromptTemplate.Parse("generator.v1", "@user\n{{history}} one");
        var b = PromptTemplate.Parse("generator.v1", "@user\n{{history}} two");

        Assert.NotEqual(a.Version, b.Version);
        Assert.Equal(a.Version, PromptTemplate.Parse("generator.v1", "@user\r\n{{history}} one").Version);
    }

    [Theory]
    [InlineData("@user\nNo history here.", "must use {{history}}")]
    [InlineData("@user\n{{history}} {{target_item}}", "{{target_item}}")]
    [InlineData("stray text\n@user\n{{history}}", "text before")]
    [InlineData("@system\nonly a system part", "no @user section")]
    public void A_broken_override_fails_at_load_naming_the_file(string text, string expected)
    {
        File.WriteAllText(Path.Combine(_directory, "generator.v3.txt"), text);

        var error = Assert.Throws<InvalidOperationException>(() => PromptTemplates.Load(_directory));

        Assert.Contains("generator.v3", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_template_symlinked_to_a_file_outside_the_directory_is_refused()
    {
        var outside = Directory.CreateTempSubdirectory("trackrec-outside-").FullName;
        try
        {
            var secret = Path.Combine(outside, "secret.txt");
            File.WriteAllText(secret, "@user\nsk-live-secret {{history}}");
            File.CreateSymbolicLink(Path.Combine(_directory, "generator.v9.txt"), Path.Combine("..", Path.GetFileName(outside), "secret.txt"));

            var error = Assert.Throws<InvalidOperationException>(() => PromptTemplates.Load(_directory));

            Assert.Contains("generator.v9.txt", error.Message, StringComparison.Ordinal);
            Assert.Contains("outside the template directory", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("sk-live-secret", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(outside, recursive: true);
        }
    }

    [Fact]
    public void A_template_symlinked_inside_the_directory_is_read()
    {
        File.WriteAllText(Path.Combine(_directory, "real.txt.orig"), "@user\nLinked {{history}}");
        File.CreateSymbolicLink(Path.Combine(_directory, "generator.v9.txt"), "real.txt.orig");

        Assert.StartsWith("generator.v9+", PromptTemplates.Load(_directory).Generator.Version, StringComparison.Ordinal);
    }

    [Fact]
    public void Placeholders_are_filled_in_one_pass()
    {
        var template = PromptTemplate.Parse("refine.v9", "@system\nS {{summary}}\n@user\nA {{summary}} B {{critique}}");

        var prompt = template.Render(new Dictionary<string, string> { ["summary"] = "{{critique}}", ["critique"] = "X" });

        Assert.Equal("S {{critique}}", prompt.System);
        Assert.Equal("A {{critique}} B X", prompt.User);
        Assert.Throws<KeyNotFoundException>(() => template.Render(new Dictionary<string, string> { ["summary"] = "s" }));
    }
}
