namespace TrackRec.Streaming.Training.Ctr;

/// <summary>The CTR model every eval row is trained with (all rows of a run use the same one).</summary>
public enum CtrBackbone
{
    /// <summary>Deep Interest Network (<see cref="DinModel"/>).</summary>
    Din,

    /// <summary>Deep &amp; Cross Network V2 (<see cref="DcnModel"/>).</summary>
    Dcn,
}
