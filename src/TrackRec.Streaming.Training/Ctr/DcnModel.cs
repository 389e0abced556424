using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using TrackRec.Streaming.Training.Mlp;

namespace TrackRec.Streaming.Training.Ctr;

/// <summary>
/// Deep &amp; Cross Network (DCN-V2, Wang et al., 2021) beside DIN, on the same inputs: x0 = [user, target item,
/// mean of the engaged history's items, the <see cref="HybridExpertAdapter"/>'s output], explicit feature
/// crosses x_{l+1} = x0 * (W_l x_l + b_l) + x_l, a deep MLP on x0 in parallel, and one logit from both.
/// </summary>
public sealed class DcnModel : nn.Module<CtrBatch, Tensor>
{
    private readonly CtrEmbeddings _embeddings;
    private readonly ModuleList<Linear> _cross;
    private readonly Sequential _deep;
    private readonly Linear _output;
    private readonly HybridExpertAdapter? _adapter;

    /// <summary>A freshly initialised model; the same shape and seed give the same weights.</summary>
    public DcnModel(CtrModelShape shape, int seed) : base(nameof(DcnModel))
    {
        ArgumentNullException.ThrowIfNull(shape);
        _embeddings = new CtrEmbeddings(shape);
        if (shape.ChainDims.Count > 0)
            _adapter = new HybridExpertAdapter(shape.ChainDims, shape.SharedExperts, shape.ExpertsPerVector, shape.AdapterHidden, shape.AdapterOutput);
        var width = _embeddings.UserWidth + 2 * _embeddings.ItemWidth + (_adapter?.OutputSize ?? 0);
        _cross = new ModuleList<Linear>(Enumerable.Range(0, shape.CrossLayers).Select(_ => nn.Linear(width, width)).ToArray());
        var deepOut = shape.HeadHidden.Count == 0 ? width : shape.HeadHidden[^1];
        _deep = DinModel.Mlp(width, shape.HeadHidden.Take(shape.HeadHidden.Count - 1).ToList(), deepOut);
        _output = nn.Linear(width + deepOut, 1);
        RegisterComponents();
        CtrEmbeddings.Initialise(this, seed);
    }

    /// <summary>Logits [B].</summary>
    public override Tensor forward(CtrBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var target = _embeddings.Item(batch.Items, batch.ItemCatalog);
        var history = _embeddings.Item(batch.History, batch.HistoryCatalog); // [B, L, e]
        var mask = batch.History.gt(TorchScalars.ZeroInt).to_type(ScalarType.Float32).unsqueeze(-1);
        var pooled = (history * mask).sum(dim: 1) / mask.sum(dim: 1).clamp_min(TorchScalars.OneInt);
        var parts = new List<Tensor> { _embeddings.User(batch.Users), target, pooled };
        if (_adapter is not null)
            parts.Add(_adapter.forward(batch.ChainVectors));
        else if (batch.ChainVectors.Count > 0)
            throw new ArgumentException("this model was built without chain features", nameof(batch));
        var x0 = cat(parts, dim: 1);
        var x = x0;
        foreach (var layer in _cross)
            x = (x0 * layer.forward(x)).add(x, TorchScalars.OneInt);
        var deep = nn.functional.relu(_deep.forward(x0));
        return _output.forward(cat([x, deep], dim: 1)).squeeze(-1);
    }
}
