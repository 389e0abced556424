using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using TrackRec.Streaming.Training.Reproducibility;

namespace TrackRec.Streaming.Training.Ctr;

/// <summary>
/// The embeddings every CTR backbone here reads: the user id, and an item as its id embedding next to the mean of
/// its catalog categories' embeddings (side information, known for items first seen after the split too).
/// One place for them, so DIN and DCN differ only in how they combine the same inputs.
/// </summary>
public sealed class CtrEmbeddings : nn.Module
{
    private readonly Embedding _users;
    private readonly Embedding _items;
    private readonly Parameter _categories;
    private readonly Tensor _itemCategories;
    private readonly int _categoryDimension;

    /// <summary>Embeddings for <paramref name="shape"/>'s vocabularies (initialised by <see cref="Initialise"/>).</summary>
    public CtrEmbeddings(CtrModelShape shape) : base(nameof(CtrEmbeddings))
    {
        ArgumentNullException.ThrowIfNull(shape);
        _users = nn.Embedding(shape.Users, shape.IdDimension);
        _items = nn.Embedding(shape.Items, shape.IdDimension);
        _categories = new Parameter(zeros(Math.Max(1, shape.Categories), shape.CategoryDimension));
        _itemCategories = CategoryTable(shape);
        _categoryDimension = shape.CategoryDimension;
        UserWidth = shape.IdDimension;
        ItemWidth = shape.IdDimension + shape.CategoryDimension;
        RegisterComponents();
    }

    /// <summary>Width of a user vector.</summary>
    public int UserWidth { get; }

    /// <summary>Width of an item vector (id and categories).</summary>
    public int ItemWidth { get; }

    /// <summary>User vectors [..., UserWidth].</summary>
    public Tensor User(Tensor ids) => _users.forward(ids);

    /// <summary>Item vectors [..., ItemWidth] for item and catalog indices of any shape.</summary>
    public Tensor Item(Tensor ids, Tensor catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var categories = _itemCategories.index_select(0, catalog.flatten()).matmul(_categories);
        var newShape = catalog.shape.Append(_categoryDimension).ToArray();
        return cat([_items.forward(ids), categories.reshape(newShape)], dim: -1);
    }

    /// <summary>
    /// torch's defaults (Linear: U(+-1/sqrt(in)); embeddings and categories: small uniform) for every layer of
    /// <paramref name="model"/>, from a private generator so other trainings in the process cannot shift it.
    /// </summary>
    public static void Initialise(nn.Module model, int seed)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var generator = new Generator(unchecked((ulong)seed));
        using var noGrad = no_grad();
        foreach (var module in model.modules())
        {
            switch (module)
            {
                case Linear linear:
                    var bound = 1.0 / Math.Sqrt(linear.in_features);
                    linear.weight!.uniform_(-bound, bound, generator);
                    linear.bias!.uniform_(-bound, bound, generator);
                    break;
                case Embedding embedding:
                    // TorchSharp's Embedding.weight makes a new wrapper at every read: disposed here, not by a finalizer.
                    using (var weight = embedding.weight!)
                        weight.uniform_(-0.05, 0.05, generator);
                    break;
                case CtrEmbeddings embeddings:
                    embeddings._categories.uniform_(-0.05, 0.05, generator);
                    break;
            }
        }
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
        return OwnedTensor.Of(table, shape.ItemCategories.Count, width);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _itemCategories.Dispose();
        base.Dispose(disposing);
    }
}
