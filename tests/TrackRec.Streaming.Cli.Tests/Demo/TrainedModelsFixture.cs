using TrackRec.Streaming.Models.Store;
using TrackRec.Streaming.Inputs;
using TrackRec.Streaming.Training.Bootstrap;

namespace TrackRec.Streaming.Tests.Demo;

/// <summary>
/// One model directory trained once per test class on a simulated stream, for demo runs whose own input
/// is too small to train on (an events file of four impressions).
/// </summary>
public sealed class TrainedModelsFixture : IDisposable
{
    public TrainedModelsFixture()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("trackrec-models-").FullName;
        var stream = StreamSimulator.Generate(new SimulatorOptions { Seed = 11, Users = 60, ImpressionsPerUser = 20 });
        Report = EmbeddedBootstrap.Run(new ModelStore(Directory), stream.Items, stream.Events, new BootstrapOptions { Source = "simulator seed 11" });
    }

    /// <summary>The model directory.</summary>
    public string Directory { get; }

    /// <summary>What was trained.</summary>
    public BootstrapReport Report { get; }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
