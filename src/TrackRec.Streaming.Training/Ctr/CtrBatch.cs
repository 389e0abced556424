using static TorchSharp.torch;

namespace TrackRec.Streaming.Training.Ctr;

/// <summary>
/// One mini-batch for a CTR backbone (<see cref="DinModel"/>, <see cref="DcnModel"/>): user [B], item [B], item catalog [B], history [B, L] and history
/// catalog [B, L] indices (int64), and one [B, d_k] float tensor per chain feature vector (empty without).
/// </summary>
public sealed record CtrBatch(Tensor Users, Tensor Items, Tensor ItemCatalog, Tensor History, Tensor HistoryCatalog, IReadOnlyList<Tensor> ChainVectors);
