using System.Runtime.CompilerServices;

namespace TrackRec.Streaming.Tests.Deploy;

/// <summary>Finds files of the repository the tests were built from (deploy/, docker-compose.yml).</summary>
internal static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(string relative) => Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));

    private static string FindRoot([CallerFilePath] string sourceFile = "")
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(sourceFile) ?? "" })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "TrackRec.Streaming.sln")))
                    return dir.FullName;
        throw new InvalidOperationException($"no TrackRec.Streaming.sln above {AppContext.BaseDirectory} or {sourceFile}");
    }
}
