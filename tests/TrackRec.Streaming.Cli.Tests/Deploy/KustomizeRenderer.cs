namespace TrackRec.Streaming.Tests.Deploy;

/// <summary>
/// Renders a kustomization the way `kustomize build` does, for the subset this repository uses: resources
/// (files and directories with a kustomization.yaml), namespace, labels (metadata only), images and patches
/// (strategic merge, matched by kind and name). A field outside that subset fails the render rather than being
/// ignored, so the test never checks a different output than kustomize would produce. No kustomize binary
/// exists on the build machines (not in Debian 12 nor npm), hence this.
/// </summary>
internal static class KustomizeRenderer
{
    private static readonly HashSet<string> Supported = ["apiVersion", "kind", "namespace", "resources", "images", "patches", "labels"];

    // Built-in kinds merge lists of named entries (containers, env, ports, volumes) by name; custom resources
    // (KEDA, Prometheus Operator) get JSON merge patch semantics, where a list is replaced whole.
    private static readonly HashSet<string> BuiltInGroups = ["v1", "apps/v1", "batch/v1", "policy/v1"];

    public static List<Dictionary<string, object?>> Render(string directory)
    {
        var kustomization = YamlDocuments.Load(Path.Combine(directory, "kustomization.yaml"));
        var unknown = kustomization.Keys.Except(Supported).ToList();
        if (unknown.Count > 0)
            throw new NotSupportedException($"{directory}/kustomization.yaml uses {string.Join(", ", unknown)}, which this renderer does not apply");

        var resources = new List<Dictionary<string, object?>>();
        foreach (var entry in kustomization.List("resources").Cast<string>())
        {
            var path = Path.GetFullPath(Path.Combine(directory, entry));
            resources.AddRange(Directory.Exists(path) ? Render(path) : YamlDocuments.LoadAll(path));
        }

        foreach (var patchEntry in kustomization.Maps("patches"))
        {
            if (patchEntry.Keys.Any(k => k != "path"))
                throw new NotSupportedException($"{directory}: only file patches without a target are applied");
            var patch = YamlDocuments.Load(Path.Combine(directory, patchEntry.Text("path")!));
            var target = resources.SingleOrDefault(r => r.Text("kind") == patch.Text("kind") && r.At("metadata").Text("name") == patch.At("metadata").Text("name"))
                ?? throw new InvalidDataException($"{directory}: patch {patchEntry.Text("path")} matches no {patch.Text("kind")} named {patch.At("metadata").Text("name")}");
            Merge(target, patch, BuiltInGroups.Contains(target.Text("apiVersion") ?? ""));
        }

        foreach (var labels in kustomization.Maps("labels"))
        {
            if (labels.Keys.Any(k => k != "pairs"))
                throw new NotSupportedException($"{directory}: labels with selectors or templates are not applied");
            foreach (var resource in resources)
            {
                var metadata = resource.Map("metadata");
                resource["metadata"] = metadata;
                var existing = metadata.Map("labels");
                foreach (var (key, value) in labels.Map("pairs"))
                    existing[key] = value;
                metadata["labels"] = existing;
            }
        }

        foreach (var image in kustomization.Maps("images"))
            foreach (var container in resources.SelectMany(r => YamlDocuments.Descendants(r)).Where(m => m.ContainsKey("image")))
            {
                var current = container.Text("image")!;
                var name = current.Split(':')[0];
                if (name != image.Text("name"))
                    continue;
                var tag = image.Text("newTag") ?? (current.Contains(':', StringComparison.Ordinal) ? current[(current.IndexOf(':', StringComparison.Ordinal) + 1)..] : null);
                container["image"] = (image.Text("newName") ?? name) + (tag is null ? "" : ":" + tag);
            }

        if (kustomization.Text("namespace") is { } ns)
            foreach (var resource in resources)
                resource.Map("metadata")["namespace"] = ns;
        return resources;
    }

    private static void Merge(Dictionary<string, object?> target, Dictionary<string, object?> patch, bool byName)
    {
        foreach (var (key, value) in patch)
        {
            if (value is Dictionary<string, object?> patchMap && target.GetValueOrDefault(key) is Dictionary<string, object?> targetMap)
                Merge(targetMap, patchMap, byName);
            else if (byName && value is List<object?> patchList && target.GetValueOrDefault(key) is List<object?> targetList
                     && patchList.All(IsNamed) && targetList.All(IsNamed))
                foreach (var item in patchList.Cast<Dictionary<string, object?>>())
                {
                    var match = targetList.Cast<Dictionary<string, object?>>().FirstOrDefault(t => t.Text("name") == item.Text("name"));
                    if (match is null)
                        targetList.Add(item);
                    else
                        Merge(match, item, byName);
                }
            else
                target[key] = value;
        }
    }

    private static bool IsNamed(object? item) => item is Dictionary<string, object?> map && map.ContainsKey("name");
}
