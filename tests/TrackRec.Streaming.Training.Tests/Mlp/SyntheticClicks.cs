namespace TrackRec.Streaming.Tests.Mlp;

/// <summary>
/// A binary problem shaped like our features: a count in the hundreds, a rate in [0, 1], a tiny-valued signal,
/// an irrelevant feature in the thousands and a 0/1 flag that flips the sign of the rate's effect (so a
/// linear model cannot solve it). Labels follow a sharp logistic of the true score, so the best achievable
/// AUC is about 0.97; a model that lets the large irrelevant feature dominate (no standardisation) does far worse.
/// </summary>
internal static class SyntheticClicks
{
    public const int Width = 5;

    public static (float[][] Features, float[] Labels) Generate(int count, int seed)
    {
        var random = new Random(seed);
        var x = new float[count][];
        var y = new float[count];
        for (var i = 0; i < count; i++)
        {
            var views = 500 + 200 * Normal(random);
            var rate = random.NextDouble();
            var tiny = 0.001 * Normal(random);
            var noise = 1000 * random.NextDouble();
            var flag = random.Next(2);
            var score = 2 * (views - 500) / 200 + 4 * (rate - 0.5) * (flag == 1 ? 1 : -1) + 1.5 * tiny / 0.001;
            x[i] = [(float)views, (float)rate, (float)tiny, (float)noise, flag];
            y[i] = random.NextDouble() < 1 / (1 + Math.Exp(-3 * score)) ? 1f : 0f;
        }
        return (x, y);
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
