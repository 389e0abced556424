using BenchmarkDotNet.Attributes;
using TrackRec.Streaming.Processing;

namespace TrackRec.Streaming.Benchmarks;

/// <summary>Merging the three co-partitioned inputs in timestamp order: 3,000 records in, 3,000 out, per operation.</summary>
[MemoryDiagnoser]
public class CoPartitionMergerBenchmarks
{
    private const int PerInput = 1000;

    [Benchmark(OperationsPerInvoke = 3 * PerInput)]
    public int EnqueueAndDequeue()
    {
        var merger = new CoPartitionMerger<int>(3, TimeSpan.FromSeconds(30), TimeProvider.System);
        var start = DateTimeOffset.UnixEpoch;
        for (var i = 0; i < PerInput; i++)
            for (var input = 0; input < 3; input++)
                merger.Enqueue(input, i, start.AddMilliseconds((i * 3) + input));
        for (var input = 0; input < 3; input++)
            merger.MarkAtEnd(input);
        var count = 0;
        while (merger.TryDequeue(out _, out _, out _))
            count++;
        return count;
    }
}
