using System.Text.Json;
using System.Text.RegularExpressions;
using SeasonalGrains.Data;
using SeasonalGrains.Domain.Inventory;
using SeasonalGrains.Domain.Policies;
using SeasonalGrains.Domain.Statistics;

namespace SeasonalGrains.Simulation.Scenarios;

/// <summary>Reads and validates scenario files. Every problem is reported at once, each naming its key.</summary>
public static partial class ScenarioLoader
{
    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
    };

    /// <summary>Reads the scenario at <paramref name="path"/>; the dataset folder is resolved against the file's folder.</summary>
    public static Scenario Load(string path, PolicyCatalog? catalog = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new ScenarioException(path, $"the file '{full}' does not exist");
        }

        return Parse(File.ReadAllText(full), full, catalog);
    }

    /// <summary>Parses scenario JSON; <paramref name="sourcePath"/> (the file it came from) anchors the dataset folder.</summary>
    public static Scenario Parse(string json, string sourcePath, PolicyCatalog? catalog = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        catalog ??= PolicyCatalog.Classical;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException e)
        {
            throw new ScenarioException(sourcePath, $"not valid JSON (line {e.LineNumber + 1}, position {e.BytePositionInLine + 1}): {FirstSentence(e.Message)}");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new ScenarioException(sourcePath, "the file must hold one JSON object");
            }

            var errors = new List<string>();
            var root = new JsonObjectReader(document.RootElement, "", errors);
            var scenario = Read(root, sourcePath, catalog, errors);
            root.RejectUnknown();
            if (errors.Count > 0 || scenario is null)
            {
                throw new ScenarioException(sourcePath, errors);
            }

            return scenario;
        }
    }

    private static Scenario? Read(JsonObjectReader root, string sourcePath, PolicyCatalog catalog, List<string> errors)
    {
        var name = root.String("name", required: true);
        if (name is not null && !NamePattern().IsMatch(name))
        {
            root.Error("name", $"may use letters, digits, '.', '_' and '-' only, as it names the run folder (got '{name}')");
        }

        var description = root.String("description");
        var datasetText = root.String("dataset", required: true);
        var generate = ReadGenerate(root.Object("generate"));
        var window = ReadWindow(root.Object("window", required: true));
        var historyDays = root.Int("historyDays", min: 1);
        var fulfilmentText = root.Choice("fulfilment", "lostSales", "backorders");
        var reviewPeriod = root.Int("reviewPeriodDays", min: 1, max: 3650) ?? 1;
        var serviceLevel = root.Number("targetServiceLevel", 0, 1, exclusiveMin: true, exclusiveMax: true) ?? PolicyInputs.DefaultTargetServiceLevel;
        var costs = ReadCosts(root.Object("costs"));
        var cleaning = ReadCleaning(root.Object("cleaning"));
        var chunkDays = root.Int("chunkDays", min: 1);
        var traceSkus = new List<string>();
        foreach (var (element, path) in root.Array("traceSkus") ?? [])
        {
            if (element.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(element.GetString()))
            {
                traceSkus.Add(element.GetString()!);
            }
            else
            {
                errors.Add($"{path}: must be a SKU id (got {JsonObjectReader.Describe(element)})");
            }
        }

        var fulfilment = fulfilmentText == "backorders" ? Fulfilment.Backorders : Fulfilment.LostSales;
        var policies = ReadPolicies(root, catalog, errors, fulfilment, reviewPeriod, serviceLevel);

        if (name is null || datasetText is null || window is null || policies is null)
        {
            return null;
        }

        var baseFolder = Path.GetDirectoryName(Path.GetFullPath(string.IsNullOrEmpty(sourcePath) ? "scenario.json" : sourcePath))!;
        return new Scenario
        {
            Name = name,
            Description = description,
            SourcePath = sourcePath,
            DatasetFolder = Path.GetFullPath(Path.Combine(baseFolder, datasetText)),
            Generate = generate,
            Window = window,
            HistoryDays = historyDays,
            Fulfilment = fulfilment,
            ReviewPeriodDays = reviewPeriod,
            TargetServiceLevel = serviceLevel,
            Costs = costs,
            Cleaning = cleaning,
            Policies = policies,
            ChunkDays = chunkDays,
            TraceSkus = traceSkus,
        };
    }

    private static GenerateSpec? ReadGenerate(JsonObjectReader? g)
    {
        if (g is null)
        {
            return null;
        }

        var preset = g.String("preset", required: true);
        var skus = g.Int("skus", min: 1, required: true);
        var years = g.Int("years", min: 1, max: 50, required: true);
        var seed = g.Int("seed", required: true);
        g.RejectUnknown();
        return preset is null || skus is null || years is null || seed is null ? null : new GenerateSpec(preset, skus.Value, years.Value, seed.Value);
    }

    private static WindowSpec? ReadWindow(JsonObjectReader? w)
    {
        if (w is null)
        {
            return null;
        }

        var start = w.Date("start");
        var end = w.Date("end");
        var lastDays = w.Int("lastDays", min: 1);
        w.RejectUnknown();
        var hasDates = w.Has("start") || w.Has("end");
        if (hasDates && w.Has("lastDays"))
        {
            w.Error("lastDays", "give either start and end, or lastDays, not both");
            return null;
        }

        if (!hasDates && !w.Has("lastDays"))
        {
            w.Error("start", "is required (with end), unless lastDays is given");
            return null;
        }

        if (hasDates)
        {
            if (!w.Has("start"))
            {
                w.Error("start", "is required with end");
                return null;
            }

            if (!w.Has("end"))
            {
                w.Error("end", "is required with start");
                return null;
            }

            if (start is { } s && end is { } e && e < s)
            {
                w.Error("end", $"must not be before start ({e:yyyy-MM-dd} < {s:yyyy-MM-dd})");
                return null;
            }
        }

        return start is null && end is null && lastDays is null ? null : new WindowSpec(start, end, lastDays);
    }

    private static CostSpec ReadCosts(JsonObjectReader? c)
    {
        if (c is null)
        {
            return new CostSpec();
        }

        var spec = new CostSpec();
        if (c.Object("holding") is { } h)
        {
            var rate = h.Number("annualRate", min: 0);
            var perDay = h.Number("perUnitDay", min: 0);
            h.RejectUnknown();
            var given = (h.Has("annualRate") ? 1 : 0) + (h.Has("perUnitDay") ? 1 : 0);
            if (given != 1)
            {
                c.Error("holding", "give exactly one of annualRate (fraction of unit cost per year) or perUnitDay");
            }
            else
            {
                spec = rate is { } r ? spec with { HoldingBasis = HoldingBasis.AnnualRate, Holding = r }
                    : perDay is { } d ? spec with { HoldingBasis = HoldingBasis.PerUnitDay, Holding = d } : spec;
            }
        }

        if (c.Object("shortage") is { } s)
        {
            var perUnit = s.Number("perUnit", min: 0);
            var ofMargin = s.Number("ofMargin", min: 0);
            var ofPrice = s.Number("ofPrice", min: 0);
            s.RejectUnknown();
            var given = (s.Has("perUnit") ? 1 : 0) + (s.Has("ofMargin") ? 1 : 0) + (s.Has("ofPrice") ? 1 : 0);
            if (given != 1)
            {
                c.Error("shortage", "give exactly one of perUnit, ofMargin or ofPrice (or leave shortage out for the default)");
            }
            else
            {
                spec = perUnit is { } p ? spec with { ShortageBasis = ShortageBasis.PerUnit, Shortage = p }
                    : ofMargin is { } m ? spec with { ShortageBasis = ShortageBasis.OfMargin, Shortage = m }
                    : ofPrice is { } q ? spec with { ShortageBasis = ShortageBasis.OfPrice, Shortage = q } : spec;
            }
        }

        spec = spec with
        {
            FixedPerOrder = c.Number("fixedPerOrder", min: 0) ?? 0,
            PurchaseCost = c.Bool("purchaseCost") ?? false,
        };
        c.RejectUnknown();
        return spec;
    }

    private static CleaningOptions ReadCleaning(JsonObjectReader? c)
    {
        if (c is null)
        {
            return new CleaningOptions();
        }

        var missing = c.Choice("missingDays", "interpolate", "zero");
        var outliers = c.Choice("outliers", "none", "clip", "flag");
        var k = c.Number("iqrK", min: 0);
        c.RejectUnknown();
        return new CleaningOptions
        {
            Missing = missing == "zero" ? MissingValueMode.Zero : MissingValueMode.Interpolate,
            Outliers = outliers switch
            {
                "clip" => OutlierMode.Clip,
                "flag" => OutlierMode.Flag,
                _ => OutlierMode.None,
            },
            IqrK = k ?? new CleaningOptions().IqrK,
        };
    }

    private static List<PolicyEntry>? ReadPolicies(
        JsonObjectReader root, PolicyCatalog catalog, List<string> errors, Fulfilment fulfilment, int reviewPeriod, double serviceLevel)
    {
        var items = root.Array("policies", required: true);
        if (items is null)
        {
            return null;
        }

        if (items.Count == 0)
        {
            root.Error("policies", "must list at least one policy");
            return null;
        }

        var result = new List<PolicyEntry>();
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (element, path) in items)
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                errors.Add($"{path}: must be an object with at least a name (got {JsonObjectReader.Describe(element)})");
                continue;
            }

            var p = new JsonObjectReader(element, path, errors);
            var name = p.String("name", required: true);
            var label = p.String("label") ?? name;
            var parameters = p.NumberMap("parameters") ?? [];
            var perCategory = p.Object("perCategory")?.AllNumberMaps() ?? [];
            var perSku = p.Object("perSku")?.AllNumberMaps() ?? [];
            p.RejectUnknown();
            if (name is null)
            {
                continue;
            }

            if (!catalog.Contains(name))
            {
                p.Error("name", $"unknown policy '{name}' (known: {string.Join(", ", catalog.Names)})");
                continue;
            }

            if (label is not null && (label.Length == 0 || label.Contains('/')))
            {
                p.Error("label", $"must be non-empty and free of '/' (got '{label}')");
                continue;
            }

            if (label is not null && !labels.TryAdd(label, path))
            {
                p.Error(p.Has("label") ? "label" : "name", $"'{label}' is already used by {labels[label]}; give each entry a distinct label");
                continue;
            }

            // Parameter names (and values that are wrong whatever the data) are checked now, per scope.
            CheckParameters(catalog, name, parameters, p.PathOf("parameters"), errors, fulfilment, reviewPeriod, serviceLevel);
            foreach (var (category, values) in perCategory)
            {
                CheckParameters(catalog, name, Merge(parameters, values), $"{p.PathOf("perCategory")}.{category}", errors, fulfilment, reviewPeriod, serviceLevel);
            }

            foreach (var (sku, values) in perSku)
            {
                CheckParameters(catalog, name, Merge(parameters, values), $"{p.PathOf("perSku")}.{sku}", errors, fulfilment, reviewPeriod, serviceLevel);
            }

            result.Add(new PolicyEntry
            {
                Name = name,
                Label = label!,
                Parameters = parameters,
                PerCategory = perCategory,
                PerSku = perSku,
            });
        }

        return result;
    }

    private static Dictionary<string, double> Merge(IReadOnlyDictionary<string, double> a, IReadOnlyDictionary<string, double> b)
    {
        var m = new Dictionary<string, double>(a, StringComparer.Ordinal);
        foreach (var (k, v) in b)
        {
            m[k] = v;
        }

        return m;
    }

    private static void CheckParameters(
        PolicyCatalog catalog, string policy, IReadOnlyDictionary<string, double> parameters, string path, List<string> errors,
        Fulfilment fulfilment, int reviewPeriod, double serviceLevel)
    {
        try
        {
            catalog.Create(policy, new PolicyInputs
            {
                Parameters = parameters,
                Terms = new SkuTerms { LeadTimeDays = 1, UnitCost = 1, UnitPrice = 2 },
                Costs = new CostRates(0.01, 1),
                Fulfilment = fulfilment,
                ReviewPeriodDays = reviewPeriod,
                History = new DemandStatistics(1, 1, 100),
                TargetServiceLevel = serviceLevel,
            });
        }
        catch (ArgumentException e)
        {
            errors.Add($"{path}: {FirstSentence(e.Message)}");
        }
    }

    internal static string FirstSentence(string message)
    {
        // drop the " (Parameter 'x')" suffix ArgumentException appends
        var i = message.IndexOf(" (Parameter '", StringComparison.Ordinal);
        return i > 0 ? message[..i] : message;
    }

    [GeneratedRegex("^[A-Za-z0-9._-]+$")]
    private static partial Regex NamePattern();
}
