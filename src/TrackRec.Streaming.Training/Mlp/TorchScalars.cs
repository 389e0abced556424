using TorchSharp;

namespace TrackRec.Streaming.Training.Mlp;

/// <summary>
/// Scalars for libtorch calls, made explicitly. TorchSharp turns a number passed where a <see cref="Scalar"/> is
/// expected into a Scalar that only its finalizer frees, and nothing keeps it alive while the native call reads
/// it: a collection on another thread can free it mid-call. Full evals (three seeds training at once) died
/// so, in Adam's step ("toFloat: Expected false to be true") and in index_add ("toDouble: ..."). The constants
/// here live as long as the process; a call with a variable number takes <see cref="Of"/> in a using.
/// TorchSharp's own shorthands make such a Scalar too: <c>a + b</c>, <c>add(x)</c> and <c>add_(x)</c> pass a fresh
/// Scalar 1 as alpha, so training code calls the overloads that take alpha, with <see cref="OneInt"/>.
/// </summary>
internal static class TorchScalars
{
    /// <summary>0 as an int (index comparisons).</summary>
    public static readonly Scalar ZeroInt = 0.ToScalar();

    /// <summary>1 as an int.</summary>
    public static readonly Scalar OneInt = 1.ToScalar();

    /// <summary>2 as an int.</summary>
    public static readonly Scalar TwoInt = 2.ToScalar();

    /// <summary>1 as a double.</summary>
    public static readonly Scalar One = 1.0.ToScalar();

    /// <summary>Negative infinity (masking before a logsumexp).</summary>
    public static readonly Scalar NegativeInfinity = double.NegativeInfinity.ToScalar();

    /// <summary>A Scalar for <paramref name="value"/>; dispose it after the calls that read it.</summary>
    public static Scalar Of(double value) => value.ToScalar();

    /// <summary>A Scalar for <paramref name="value"/>; dispose it after the calls that read it.</summary>
    public static Scalar Of(long value) => value.ToScalar();
}
