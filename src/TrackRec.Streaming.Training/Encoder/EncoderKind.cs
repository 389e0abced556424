namespace TrackRec.Streaming.Training.Encoder;

/// <summary>Which encoder role the bootstrap makes.</summary>
public enum EncoderKind
{
    /// <summary>all-MiniLM-L6-v2 (frozen, shipped with the build) under a contrastively trained adapter: the default.</summary>
    Pretrained,

    /// <summary>A small encoder trained from scratch on the pairs and exported to ONNX.</summary>
    Scratch,
}
