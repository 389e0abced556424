using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace TrackRec.Streaming.Tests.Deploy;

/// <summary>
/// The image cannot be built here (no Docker engine); what can be checked is that the restore layer of
/// deploy/Dockerfile copies every project the CLI references (else `dotnet restore` fails in the image) and
/// that every file it copies exists.
/// </summary>
public sealed partial class DockerfileTests
{
    [Fact]
    public void The_restore_layer_copies_every_project_the_cli_references_and_every_copied_file_exists()
    {
        var copies = CopyLine().Matches(File.ReadAllText(RepositoryFiles.PathOf("deploy/Dockerfile")))
            .SelectMany(m => m.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).SkipLast(1))
            .Where(source => !source.StartsWith("--", StringComparison.Ordinal))
            .ToList();
        foreach (var source in copies)
            Assert.True(File.Exists(RepositoryFiles.PathOf(source)) || Directory.Exists(RepositoryFiles.PathOf(source)), $"the Dockerfile copies {source}, which does not exist");

        var projects = new SortedSet<string>(StringComparer.Ordinal);
        void Visit(string project)
        {
            if (!projects.Add(project))
                return;
            var directory = Path.GetDirectoryName(RepositoryFiles.PathOf(project))!;
            foreach (var reference in XDocument.Load(RepositoryFiles.PathOf(project)).Descendants("ProjectReference"))
                Visit(Path.GetRelativePath(RepositoryFiles.Root, Path.GetFullPath(Path.Combine(directory, reference.Attribute("Include")!.Value.Replace('\\', '/')))).Replace('\\', '/'));
        }
        Visit("src/TrackRec.Streaming.Cli/TrackRec.Streaming.Cli.csproj");
        Assert.True(projects.Count >= 6);
        Assert.Subset(copies.ToHashSet(StringComparer.Ordinal), projects.ToHashSet(StringComparer.Ordinal));
        // The build's TorchSharp step (Directory.Build.targets) runs this script.
        Assert.Contains("Directory.Build.targets", copies);
        Assert.Contains("scripts/setup-torchsharp.sh", copies);
    }

    [GeneratedRegex(@"^COPY (?!--from)(.+)$", RegexOptions.Multiline)]
    private static partial Regex CopyLine();
}
