using System.Globalization;

namespace TrackRec.Streaming.Cli.Bench;

/// <summary>
/// bench.png: left, latency by percentile for each paced rate and feature source (log scale, as latency
/// distributions are read); right, throughput of each subject as a ratio to the same run's ceiling.
/// </summary>
internal static class StreamBenchPlot
{
    public static void Write(StreamBenchReport report, string path)
    {
        const int width = 700, height = 560;
        var latency = new ScottPlot.Plot();
        Latency(latency, report);
        var throughput = new ScottPlot.Plot();
        Throughput(throughput, report);
        // Side by side on one canvas: one file to attach to a note.
        using var surface = SkiaSharp.SKSurface.Create(new SkiaSharp.SKImageInfo(2 * width, height));
        surface.Canvas.Clear(SkiaSharp.SKColors.White);
        foreach (var (plot, x) in new[] { (latency, 0), (throughput, width) })
        {
            using var image = SkiaSharp.SKImage.FromEncodedData(plot.GetImageBytes(width, height, ScottPlot.ImageFormat.Png));
            surface.Canvas.DrawImage(image, x, 0);
        }
        using var snapshot = surface.Snapshot();
        using var data = snapshot.Encode(SkiaSharp.SKEncodedImageFormat.Png, 100);
        using var file = File.Create(path);
        data.SaveTo(file);
    }

    private static void Latency(ScottPlot.Plot plot, StreamBenchReport report)
    {
        // x: the number of nines of the percentile (0.9 -> 1, 0.99 -> 2), so the tail gets room.
        var xs = LatencyPercentiles.PlotQuantiles.Select(q => q >= 1 ? 5 : -Math.Log10(1 - q)).ToArray();
        var runs = report.Paced.Select(p => (Name: $"{p.Rate:N0}/s", Figures: p)).ToList();
        if (report.Llm is { } llm)
            runs.Add(($"llm {llm.Paced.Rate:N0}/s", llm.Paced));
        foreach (var (name, figures) in runs)
            foreach (var (source, curve) in figures.CurveBySource)
            {
                var ys = curve.Select(v => Math.Log10(Math.Max(v, 0.01))).ToArray();
                var line = plot.Add.Scatter(xs, ys);
                line.LegendText = $"{name} {source}";
            }
        plot.Axes.Bottom.SetTicks(xs, LatencyPercentiles.PlotQuantiles.Select(q => (q * 100).ToString("0.##", CultureInfo.InvariantCulture) + "%").ToArray());
        var decades = Enumerable.Range(-2, 8).Select(d => (double)d).ToArray();
        plot.Axes.Left.SetTicks(decades, decades.Select(d => Math.Pow(10, d).ToString("0.##", CultureInfo.InvariantCulture)).ToArray());
        plot.Title("Feature latency from scheduled send (open loop)");
        plot.XLabel("percentile");
        plot.YLabel("ms (log)");
        plot.ShowLegend(ScottPlot.Alignment.UpperLeft);
    }

    private static void Throughput(ScottPlot.Plot plot, StreamBenchReport report)
    {
        var bars = new List<(string Label, double Ratio)>
        {
            ("ceiling", 1.0),
            ("feedback on", report.RatioFeedbackOn),
            ("feedback off", report.RatioFeedbackOff),
        };
        bars.AddRange(report.Paced.Select((p, i) => ($"{p.Rate:N0}/s paced", report.PacedAchievedToCeiling[i])));
        for (var i = 0; i < bars.Count; i++)
            plot.Add.Bar(position: i, value: bars[i].Ratio);
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, bars.Count).Select(i => (double)i).ToArray(), bars.Select(b => b.Label).ToArray());
        plot.Axes.Margins(bottom: 0);
        plot.Title($"Throughput / pass-through ceiling ({report.Ceiling.EventsPerSecond:N0} events/s)");
        plot.YLabel("ratio to ceiling");
    }
}
