using System.Text.Json;
using System.Text.RegularExpressions;
using SeasonalGrains.Data.Cleaning;
using SeasonalGrains.Domain.Statistics;
using SeasonalGrains.Forecasting;
using SeasonalGrains.Forecasting.Features;
using SeasonalGrains.Forecasting.Lstm;

namespace SeasonalGrains.Simulation.Scenarios;

/// <summary>Reads and validates scenario files. Every problem is reported at once, each naming its key.</summary>
public static partial class ScenarioLoader
{
    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
    };

    /// <summary>
    /// Reads the scenario at <paramref name="path"/>; the dataset folder is resolved against the file's folder.
    /// Policies are checked against <paramref name="catalog"/> (default: the classical and the forecast-driven policies).
    /// </summary>
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
        catalog ??= ForecastPolicyCatalog.All;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException e)
        {
            throw new ScenarioException(sourcePath, $"not valid JSON (line {e.LineNumber + 1}, position {e.BytePositionInLine + 1}): {WithoutContent(e.Message)}");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new ScenarioException(sourcePath, "the file must hold one JSON object");
            }

            var errors = new List<string>();
            JsonObjectReader.RejectDuplicates(document.RootElement, "", errors);
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
        _ = root.String("$schema"); // the JSON Schema an editor checks the file with (simulations/scenario.schema.json)
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
        var baseFolder = Path.GetDirectoryName(Path.GetFullPath(string.IsNullOrEmpty(sourcePath) ? "scenario.json" : sourcePath))!;
        var forecasters = ReadForecasters(root.Object("forecasters"), baseFolder);
        var outlook = ReadOutlook(root.Object("outlook"));
        var sweep = ReadSweep(root.Object("sweep"), errors);
        var tuning = ReadTuning(root.Object("tuning"));
        if (policies is not null)
        {
            CheckForecasterSettings(policies.Select((p, i) => (p.Forecaster, $"policies[{i}].name")), forecasters, errors);
        }

        if (name is null || datasetText is null || window is null || policies is null)
        {
            return null;
        }

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
            Forecasters = forecasters,
            Outlook = outlook,
            Sweep = sweep,
            Tuning = tuning,
        };
    }

    /// <summary>
    /// Adds an error under <c>path</c> for each forecaster that needs settings the scenario's
    /// <c>forecasters</c> block does not give (<c>lstm</c> needs <c>forecasters.lstm.model</c>).
    /// </summary>
    internal static void CheckForecasterSettings(
        IEnumerable<(string? Forecaster, string Path)> uses, IReadOnlyDictionary<string, ForecasterSettings> settings, List<string> errors)
    {
        foreach (var (forecaster, path) in uses)
        {
            if (forecaster == ForecasterRegistry.Lstm && settings.GetValueOrDefault(ForecasterRegistry.Lstm)?.Model is null)
            {
                errors.Add($"{path}: forecaster 'lstm' needs its model folder: add \"forecasters\": {{ \"lstm\": {{ \"model\": \"<folder>\" }} }}");
            }
        }
    }

    private static Dictionary<string, ForecasterSettings> ReadForecasters(JsonObjectReader? f, string baseFolder)
    {
        var result = new Dictionary<string, ForecasterSettings>(StringComparer.Ordinal);
        if (f is null)
        {
            return result;
        }

        // only the forecasters that load a model take settings
        if (f.Object(ForecasterRegistry.Lstm) is { } lstm)
        {
            var model = lstm.String("model", required: true);
            var inference = lstm.Choice("inference", "window", "stateful");
            var restart = lstm.Int("restartDays", min: 0, max: 3650);
            var precision = lstm.Choice("precision", InferencePrecisions.Names);
            var train = lstm.Bool("trainIfMissing");
            var scaling = lstm.Choice("scaling", UnitScalings.Names);
            lstm.RejectUnknown();
            if (model is not null)
            {
                var defaults = new ForecasterSettings(null);
                result[ForecasterRegistry.Lstm] = new ForecasterSettings(
                    Path.GetFullPath(Path.Combine(baseFolder, model)),
                    inference == "stateful" ? LstmInference.Stateful : LstmInference.Window,
                    restart ?? defaults.RestartDays,
                    precision ?? defaults.Precision)
                {
                    TrainIfMissing = train ?? false,
                    Scaling = scaling is null ? defaults.Scaling : UnitScalings.Parse(scaling),
                };
            }
        }

        f.RejectUnknown();
        return result;
    }

    private static OutlookSpec ReadOutlook(JsonObjectReader? o)
    {
        if (o is null)
        {
            return new OutlookSpec();
        }

        var defaults = new OutlookSpec();
        var seed = o.Int("seed", min: 0);
        var paths = o.Int("paths", min: 2, max: 100_000);
        var correlation = o.Number("correlation", 0, 1);
        o.RejectUnknown();
        return new OutlookSpec(seed is { } s ? (ulong)s : defaults.Seed, paths ?? defaults.Paths, correlation ?? defaults.Correlation);
    }

    private static SweepSpec? ReadSweep(JsonObjectReader? w, List<string> errors)
    {
        if (w is null)
        {
            return null;
        }

        var items = w.Array(SweepSpec.TargetServiceLevel, required: true);
        w.RejectUnknown();
        if (items is null)
        {
            return null;
        }

        var values = new List<double>();
        foreach (var (element, path) in items)
        {
            if (element.ValueKind == JsonValueKind.Number && element.TryGetDouble(out var v) && v > 0 && v < 1)
            {
                if (values.Contains(v))
                {
                    errors.Add($"{path}: {v.ToString(System.Globalization.CultureInfo.InvariantCulture)} is listed twice");
                }

                values.Add(v);
            }
            else
            {
                errors.Add($"{path}: must be a service level strictly between 0 and 1 (got {JsonObjectReader.Describe(element)})");
            }
        }

        if (items.Count == 0)
        {
            w.Error(SweepSpec.TargetServiceLevel, "must list at least one value");
        }

        return values.Count == items.Count && values.Count > 0 ? new SweepSpec(SweepSpec.TargetServiceLevel, values) : null;
    }

    private static TuningSpec ReadTuning(JsonObjectReader? t)
    {
        if (t is null)
        {
            return new TuningSpec();
        }

        var scope = t.Choice("scope", "sku", "category");
        var forecastDays = t.Int("forecastDays", min: 7, max: 3660);
        t.RejectUnknown();
        return new TuningSpec(scope == "category" ? TuningScope.Category : TuningScope.Sku, forecastDays ?? TuningSpec.DefaultForecastDays);
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
        var start = g.Date("start");
        g.RejectUnknown();
        return preset is null || skus is null || years is null || seed is null ? null : new GenerateSpec(preset, skus.Value, years.Value, seed.Value, start);
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
            var rate = h.Number("annualRate", min: 0, max: DomainLimits.MaxParameter);
            var perDay = h.Number("perUnitDay", min: 0, max: DomainLimits.MaxMoney);
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
            var perUnit = s.Number("perUnit", min: 0, max: DomainLimits.MaxMoney);
            var ofMargin = s.Number("ofMargin", min: 0, max: DomainLimits.MaxParameter);
            var ofPrice = s.Number("ofPrice", min: 0, max: DomainLimits.MaxParameter);
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
            FixedPerOrder = c.Number("fixedPerOrder", min: 0, max: DomainLimits.MaxMoney) ?? 0,
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
            var written = p.String("name", required: true);
            var label = p.String("label") ?? written;
            var parameters = p.NumberMap("parameters") ?? [];
            var perCategory = p.Object("perCategory")?.AllNumberMaps() ?? [];
            var perSku = p.Object("perSku")?.AllNumberMaps() ?? [];
            p.RejectUnknown();
            if (written is null)
            {
                continue;
            }

            if (PolicyName.TryParse(written, catalog, out var reason) is not { } parsed)
            {
                p.Error("name", reason);
                continue;
            }

            var name = parsed.Policy;
            if (parsed.Tuned && (parameters.Count > 0 || perCategory.Count > 0 || perSku.Count > 0))
            {
                p.Error("name", $"'{written}' takes its parameters from the tuning on the history; give no parameters, perCategory or perSku");
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
                Forecaster = parsed.Forecaster,
                Tuned = parsed.Tuned,
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
        var bad = false;
        foreach (var (key, value) in parameters)
        {
            if (DomainLimits.ParameterProblem(value) is { } problem)
            {
                errors.Add($"{path}.{key}: {problem}");
                bad = true;
            }
        }

        if (bad)
        {
            return;
        }

        try
        {
            catalog.Create(policy, ProbeInputs(parameters) with
            {
                Fulfilment = fulfilment,
                ReviewPeriodDays = reviewPeriod,
                TargetServiceLevel = serviceLevel,
            });
        }
        catch (ArgumentException e)
        {
            errors.Add($"{path}: {FirstSentence(e.Message)}");
        }
    }

    /// <summary>The inputs of a plain SKU (lead time 1, unit cost 1, price 2, a history) on which a policy's parameters are tried without data.</summary>
    internal static PolicyInputs ProbeInputs(IReadOnlyDictionary<string, double> parameters) => new()
    {
        Parameters = parameters,
        Terms = new SkuTerms { LeadTimeDays = 1, UnitCost = 1, UnitPrice = 2 },
        Costs = new CostRates(0.01, 1),
        History = new DemandStatistics(1, 1, 100),
    };

    internal static string FirstSentence(string message)
    {
        // drop the " (Parameter 'x')" suffix ArgumentException appends
        var i = message.IndexOf(" (Parameter '", StringComparison.Ordinal);
        return i > 0 ? message[..i] : message;
    }

    /// <summary>The parser's reason without the text it quotes from the file (the file may not be the planner's own).</summary>
    private static string WithoutContent(string message)
    {
        var i = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return QuotedPattern().Replace(i > 0 ? message[..i] : message, "a character");
    }

    [GeneratedRegex("'[^']*'")]
    private static partial Regex QuotedPattern();

    [GeneratedRegex("^[A-Za-z0-9._-]+$")]
    private static partial Regex NamePattern();
}
