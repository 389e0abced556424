using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using TrackRec.Streaming.Training.Mlp;

namespace TrackRec.Streaming.Training.Ctr;

/// <summary>
/// Deep Interest Network (Zhou et al., 2018) as the reference CTR backbone: the <see cref="CtrEmbeddings"/> of
/// the user, the target item and the last L engaged items, DIN's local activation unit weighting each history
/// item by its relevance to the target (an MLP over [h, t, h - t, h * t], unnormalised weights, sum pooling),
/// and an MLP head giving one logit. With dense features, the <see cref="HybridExpertAdapter"/>'s output is
/// concatenated into the head's input.
/// </summary>
public sealed class DinModel : nn.Module<CtrBatch, Tensor>
{
    private readonly CtrEmbeddings _embeddings;
    private readonly Sequential _attention;
    private readonly Sequential _head;
    private readonly HybridExpertAdapter? _adapter;

    /// <summary>A freshly initialised model; the same shape and seed give the same weights.</summary>
    public DinModel(CtrModelShape shape, int seed) : base(nameof(DinModel))
    {
        ArgumentNullException.ThrowIfNull(shape);
        Shape = shape;
        _embeddings = new CtrEmbeddings(shape);
        var itemWidth = _embeddings.ItemWidth;
        _attention = nn.Sequential(nn.Linear(4 * itemWidth, shape.AttentionHidden), nn.Sigmoid(), nn.Linear(shape.AttentionHidden, 1));
        if (shape.ChainDims.Count > 0)
            _adapter = new HybridExpertAdapter(shape.ChainDims, shape.SharedExperts, shape.ExpertsPerVector, shape.AdapterHidden, shape.AdapterOutput);
        _head = Mlp(_embeddings.UserWidth + 2 * itemWidth + (_adapter?.OutputSize ?? 0), shape.HeadHidden, output: 1);
        RegisterComponents();
        CtrEmbeddings.Initialise(this, seed);
    }

    /// <summary>The sizes it was built with.</summary>
    public CtrModelShape Shape { get; }

    /// <summary>The dense-feature adapter, or null without dense features.</summary>
    public HybridExpertAdapter? Adapter => _adapter;

    /// <summary>Logits [B].</summary>
    public override Tensor forward(CtrBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var target = _embeddings.Item(batch.Items, batch.ItemCatalog); // [B, e]
        var history = _embeddings.Item(batch.History, batch.HistoryCatalog); // [B, L, e]
        var mask = batch.History.gt(TorchScalars.ZeroInt).to_type(ScalarType.Float32); // [B, L]
        var expanded = target.unsqueeze(1).expand_as(history);
        var unit = cat([history, expanded, history - expanded, history * expanded], dim: -1);
        var weights = _attention.forward(unit).squeeze(-1) * mask; // [B, L], DIN keeps them unnormalised
        var interest = (weights.unsqueeze(-1) * history).sum(dim: 1); // [B, e]
        var parts = new List<Tensor> { _embeddings.User(batch.Users), target, interest };
        if (_adapter is not null)
            parts.Add(_adapter.forward(batch.ChainVectors));
        else if (batch.ChainVectors.Count > 0)
            throw new ArgumentException("this model was built without chain features", nameof(batch));
        return _head.forward(cat(parts, dim: 1)).squeeze(-1);
    }

    /// <summary>Linear + ReLU per hidden width, then a linear layer to <paramref name="output"/> (the MLP both backbones end in).</summary>
    internal static Sequential Mlp(int width, IReadOnlyList<int> hidden, int output)
    {
        var layers = new List<nn.Module<Tensor, Tensor>>();
        foreach (var h in hidden)
        {
            layers.Add(nn.Linear(width, h));
            layers.Add(nn.ReLU());
            width = h;
        }
        layers.Add(nn.Linear(width, output));
        return nn.Sequential(layers);
    }
}
