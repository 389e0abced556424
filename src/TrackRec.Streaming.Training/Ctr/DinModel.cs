using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TrackRec.Streaming.Training.Ctr;

/// <summary>
/// Deep Interest Network (Zhou et al., 2018) as the reference CTR backbone: embeddings of the user id, the
/// item id and the item's categories (the mean of its category embeddings), DIN's local activation unit
/// weighting each of the last L engaged items by its relevance to the target item (an MLP over
/// [h, t, h - t, h * t], unnormalised weights, sum pooling), and an MLP head giving one logit. With chain
/// features, the <see cref="HybridExpertAdapter"/>'s output is concatenated into the head's input.
/// </summary>
public sealed class DinModel : nn.Module<DinBatch, Tensor>
{
    private readonly Embedding _users;
    private readonly Embedding _items;
    private readonly Parameter _categories;
    private readonly Tensor _itemCategories;
    private readonly Sequential _attention;
    private readonly Sequential _head;
    private readonly HybridExpertAdapter? _adapter;
    private readonly int _itemWidth;

    /// <summary>A freshly initialised model; the same shape and seed give the same weights.</summary>
    public DinModel(CtrModelShape shape, int seed) : base(nameof(DinModel))
    {
        ArgumentNullException.ThrowIfNull(shape);
        Shape = shape;
        _users = nn.Embedding(shape.Users, shape.IdDimension);
        _items = nn.Embedding(shape.Items, shape.IdDimension);
        _categories = new Parameter(zeros(Math.Max(1, shape.Categories), shape.CategoryDimension));
        _itemCategories = CategoryTable(shape);
        _itemWidth = shape.IdDimension + shape.CategoryDimension;
        _attention = nn.Sequential(nn.Linear(4 * _itemWidth, shape.AttentionHidden), nn.Sigmoid(), nn.Linear(shape.AttentionHidden, 1));
        if (shape.ChainDims.Count > 0)
            _adapter = new HybridExpertAdapter(shape.ChainDims, shape.SharedExperts, shape.ExpertsPerVector, shape.AdapterHidden, shape.AdapterOutput);
        var width = shape.IdDimension + 2 * _itemWidth + (_adapter?.OutputSize ?? 0);
        var layers = new List<nn.Module<Tensor, Tensor>>();
        foreach (var hidden in shape.HeadHidden)
        {
            layers.Add(nn.Linear(width, hidden));
            layers.Add(nn.ReLU());
            width = hidden;
        }
        layers.Add(nn.Linear(width, 1));
        _head = nn.Sequential(layers);
        RegisterComponents();
        Initialise(seed);
    }

    /// <summary>The sizes it was built with.</summary>
    public CtrModelShape Shape { get; }

    /// <summary>The chain adapter, or null without chain features.</summary>
    public HybridExpertAdapter? Adapter => _adapter;

    /// <summary>Logits [B].</summary>
    public override Tensor forward(DinBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var target = Item(batch.Items, batch.ItemCatalog); // [B, e]
        var history = Item(batch.History, batch.HistoryCatalog); // [B, L, e]
        var mask = batch.History.gt(0).to_type(ScalarType.Float32); // [B, L]
        var expanded = target.unsqueeze(1).expand_as(history);
        var unit = cat([history, expanded, history - expanded, history * expanded], dim: -1);
        var weights = _attention.forward(unit).squeeze(-1) * mask; // [B, L], DIN keeps them unnormalised
        var interest = (weights.unsqueeze(-1) * history).sum(dim: 1); // [B, e]
        var parts = new List<Tensor> { _users.forward(batch.Users), target, interest };
        if (_adapter is not null)
            parts.Add(_adapter.forward(batch.ChainVectors));
        else if (batch.ChainVectors.Count > 0)
            throw new ArgumentException("this model was built without chain features", nameof(batch));
        return _head.forward(cat(parts, dim: 1)).squeeze(-1);
    }

    // Id embedding next to the mean of the item's category embeddings, for indices of any shape.
    private Tensor Item(Tensor ids, Tensor catalog)
    {
        var shape = catalog.shape;
        var categories = _itemCategories.index_select(0, catalog.flatten()).matmul(_categories);
        var newShape = shape.Append(Shape.CategoryDimension).ToArray();
        return cat([_items.forward(ids), categories.reshape(newShape)], dim: -1);
    }

    private static Tensor CategoryTable(CtrModelShape shape)
    {
        var width = Math.Max(1, shape.Categories);
        var table = new float[shape.ItemCategories.Count * width];
        for (var i = 0; i < shape.ItemCategories.Count; i++)
        {
            var cats = shape.ItemCategories[i];
            foreach (var c in cats)
                table[i * width + c] = 1f / cats.Count;
        }
        return tensor(table, [shape.ItemCategories.Count, width]);
    }

    // torch's defaults (Linear: U(+-1/sqrt(in)); embeddings: small uniform) from a private generator, so
    // other trainings in the process cannot shift this initialisation.
    private void Initialise(int seed)
    {
        using var generator = new Generator(unchecked((ulong)seed));
        using var noGrad = no_grad();
        foreach (var module in modules())
        {
            switch (module)
            {
                case Linear linear:
                    var bound = 1.0 / Math.Sqrt(linear.in_features);
                    linear.weight!.uniform_(-bound, bound, generator);
                    linear.bias!.uniform_(-bound, bound, generator);
                    break;
                case Embedding embedding:
                    embedding.weight!.uniform_(-0.05, 0.05, generator);
                    break;
            }
        }
        _categories.uniform_(-0.05, 0.05, generator);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _itemCategories.Dispose();
        base.Dispose(disposing);
    }
}
