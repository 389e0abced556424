using System.Globalization;
using System.Text;
using TrackRec.Streaming.Chains;
using TrackRec.Streaming.UserState;

namespace TrackRec.Streaming.Models.Llm;

/// <summary>
/// Fills the templates from a request. Everything a user or the catalog wrote (comments, item titles, item
/// ids) enters through <see cref="PromptText.Quote"/>: fenced, neutralised, length-limited. Categories are
/// stripped of markup characters and cut. Model-written text (a chain, a critique) is fenced the same way
/// (<see cref="PromptText.QuoteBlock"/>), since it may carry user text onwards. The held-out outcomes of a request are never rendered:
/// the roles score chains on them, so a chain must not have seen them.
/// </summary>
internal sealed class PromptRenderer
{
    private const int MaxCategoryChars = 40;
    private const int MaxCategories = 8;
    private const int MaxCritiqueChars = 1000;
    private const int MaxFailedClaims = 10;

    private readonly PromptTemplates _templates;
    private readonly LlmOptions _options;

    public PromptRenderer(PromptTemplates templates, LlmOptions options)
    {
        _templates = templates ?? throw new ArgumentNullException(nameof(templates));
        _options = options ?? throw new ArgumentNullException(nameof(options));
    }

    /// <summary>TrackRec's G prompt: the history only.</summary>
    public ChatPrompt Generator(ChainRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return _templates.Generator.Render(HistoryValues(request));
    }

    /// <summary>R4ec's refinement prompt: the history, the rejected summary and the critique.</summary>
    public ChatPrompt Refine(ChainRequest request, ChainDraft draft, Reflection reflection)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentNullException.ThrowIfNull(reflection);
        var values = HistoryValues(request);
        values["summary"] = Neutralise(draft.Text, _options.MaxChainChars);
        values["critique"] = reflection.Critique.Trim().Length > 0 ? Neutralise(reflection.Critique, MaxCritiqueChars) : "(no critique given)";
        values["failed_claims"] = reflection.FailedClaims.Count == 0
            ? "(none named)"
            : string.Join("\n", reflection.FailedClaims.Take(MaxFailedClaims).Select(c => "- " + Neutralise(c, MaxCritiqueChars / 4).Replace('\n', ' ')));
        return _templates.Refine.Render(values);
    }

    /// <summary>R4ec's reflection prompt: the history and the summary to judge.</summary>
    public ChatPrompt Reflect(ChainRequest request, ChainDraft draft)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(draft);
        var values = HistoryValues(request);
        values["summary"] = Neutralise(draft.Text, _options.MaxChainChars);
        return _templates.Reflect.Render(values);
    }

    /// <summary>TrackRec's V prompt for one item: the chain as &lt;summary&gt; and the item.</summary>
    public ChatPrompt Validator(ChainDraft chain, CandidateItem item)
    {
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(item);
        return _templates.Validator.Render(new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["summary"] = Neutralise(chain.Text, _options.MaxChainChars),
            ["item"] = Item(item.Title ?? item.ItemId, item.Categories),
        });
    }

    /// <summary>The newest <see cref="LlmOptions.HistoryItems"/> interactions, oldest first, one numbered line each.</summary>
    public string History(IReadOnlyList<HistoryItemView> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        if (history.Count == 0)
            return "(no interactions yet)";
        var lines = new StringBuilder();
        var start = Math.Max(0, history.Count - _options.HistoryItems);
        for (var i = start; i < history.Count; i++)
        {
            var h = history[i];
            lines.Append(CultureInfo.InvariantCulture, $"{i - start + 1}. {h.Time.UtcDateTime:yyyy-MM-dd} {Verb(h.Signal)}: ")
                .Append(Item(h.Title ?? h.ItemId, h.Categories));
            if (!string.IsNullOrWhiteSpace(h.Text))
                lines.Append(" - comment: ").Append(PromptText.Quote(h.Text, _options.MaxUserTextChars));
            lines.Append('\n');
        }
        return lines.ToString().TrimEnd('\n');
    }

    /// <summary>
    /// Model-written text made safe to embed: fenced as quoted data like user text (a summary or a critique can
    /// quote users, and an injected instruction can reach it through the model that wrote it), line breaks kept,
    /// cut to <paramref name="maxChars"/>.
    /// </summary>
    public static string Neutralise(string? text, int maxChars) => PromptText.QuoteBlock((text ?? string.Empty).Trim(), maxChars);

    private Dictionary<string, string> HistoryValues(ChainRequest request) => new(StringComparer.Ordinal)
    {
        ["history"] = History(request.History),
        ["history_count"] = Math.Min(request.History.Count, _options.HistoryItems).ToString(CultureInfo.InvariantCulture),
    };

    private static string Verb(Signal signal) => signal switch
    {
        Signal.Click => "clicked",
        Signal.Comment => "commented on",
        _ => "shown",
    };

    // An item's title and its catalog labels in one fence: a label is catalog text too (an instruction fits in
    // 40 characters), and one fence per item keeps the history lines short.
    private string Item(string title, IReadOnlyList<string> categories)
    {
        var cut = title.Length > _options.MaxTitleChars ? title[.._options.MaxTitleChars] + "…" : title;
        var labels = CategoriesOf(categories);
        return PromptText.Quote(cut + labels, cut.Length + labels.Length);
    }

    // Catalog labels: no markup characters, no control characters, cut short.
    private static string CategoriesOf(IReadOnlyList<string> categories)
    {
        var labels = categories.Take(MaxCategories)
            .Select(c => new string(c.Where(ch => !char.IsControl(ch) && ch is not ('<' or '>' or '{' or '}' or '[' or ']')).Take(MaxCategoryChars).ToArray()).Trim())
            .Where(c => c.Length > 0)
            .ToList();
        return labels.Count == 0 ? string.Empty : $" [{string.Join(", ", labels)}]";
    }
}
