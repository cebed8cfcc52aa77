using SeasonalGrains.Domain.Inventory;
using SeasonalGrains.Simulation.Replay;
using SeasonalGrains.Simulation.Scenarios;

namespace SeasonalGrains.Simulation.Tests;

public sealed class ScenarioValidationTests
{
    private const string Path = "/scenarios/x/scenario.json";

    private const string Valid = """
        {
          "name": "ok",
          "dataset": "./data",
          "window": { "start": "2023-03-01", "end": "2023-04-29" },
          "fulfilment": "backorders",
          "reviewPeriodDays": 7,
          "targetServiceLevel": 0.9,
          "costs": { "holding": { "perUnitDay": 0.02 }, "shortage": { "ofMargin": 0.5 }, "fixedPerOrder": 4, "purchaseCost": true },
          "cleaning": { "missingDays": "zero", "outliers": "clip" },
          "policies": [
            { "name": "sS", "parameters": { "s": 10 }, "perCategory": { "hats": { "s": 5 } }, "perSku": { "S01": { "s": 2, "S": 9 } } },
            { "name": "sS", "label": "sS-big", "parameters": { "S": 100 } }
          ]
        }
        """;

    [Fact]
    public void A_valid_scenario_is_read_with_every_setting()
    {
        var s = ScenarioLoader.Parse(Valid, Path);

        Assert.Equal("ok", s.Name);
        Assert.Equal("/scenarios/x/data", s.DatasetFolder);
        Assert.Equal(new WindowSpec(new DateOnly(2023, 3, 1), new DateOnly(2023, 4, 29), null), s.Window);
        Assert.Equal(Fulfilment.Backorders, s.Fulfilment);
        Assert.Equal(7, s.ReviewPeriodDays);
        Assert.Equal(0.9, s.TargetServiceLevel);
        Assert.Equal(new CostSpec
        {
            HoldingBasis = HoldingBasis.PerUnitDay,
            Holding = 0.02,
            ShortageBasis = ShortageBasis.OfMargin,
            Shortage = 0.5,
            FixedPerOrder = 4,
            PurchaseCost = true,
        }, s.Costs);
        Assert.Equal(["sS", "sS-big"], s.Policies.Select(p => p.Label));
    }

    [Fact]
    public void Sku_parameters_override_category_parameters_which_override_the_defaults()
    {
        var policy = ScenarioLoader.Parse(Valid, Path).Policies[0];

        Assert.Equal(new Dictionary<string, double> { ["s"] = 10 }, policy.ParametersFor("S02", "coats"));
        Assert.Equal(new Dictionary<string, double> { ["s"] = 5 }, policy.ParametersFor("S02", "hats"));
        Assert.Equal(new Dictionary<string, double> { ["s"] = 2, ["S"] = 9 }, policy.ParametersFor("S01", "hats"));
    }

    [Theory]
    [InlineData("\"costs\": { \"holdng\": { \"perUnitDay\": 1 } }", "costs.holdng: unknown key")]
    [InlineData("\"costs\": { \"holding\": { \"annualRate\": -0.1 } }", "costs.holding.annualRate: must be >= 0")]
    [InlineData("\"costs\": { \"holding\": { \"annualRate\": 0.2, \"perUnitDay\": 1 } }", "costs.holding: give exactly one")]
    [InlineData("\"window\": { \"start\": \"2023-05-01\", \"end\": \"2023-04-01\" }", "window.end: must not be before start")]
    [InlineData("\"window\": { \"start\": \"01/05/2023\", \"end\": \"2023-06-01\" }", "window.start: must be a date yyyy-MM-dd")]
    [InlineData("\"window\": { \"lastDays\": 30, \"start\": \"2023-01-01\", \"end\": \"2023-02-01\" }", "window.lastDays: give either")]
    [InlineData("\"targetServiceLevel\": 1.5", "targetServiceLevel: must be > 0 and < 1")]
    [InlineData("\"fulfilment\": \"lost\"", "fulfilment: must be one of 'lostSales', 'backorders'")]
    [InlineData("\"reviewPeriodDays\": 0", "reviewPeriodDays: must be between 1 and 3650")]
    [InlineData("\"cleaning\": { \"outliers\": \"drop\" }", "cleaning.outliers: must be one of 'none', 'clip', 'flag'")]
    [InlineData("\"policies\": [ { \"name\": \"magic\" } ]", "policies[0].name: unknown policy 'magic'")]
    [InlineData("\"policies\": [ { \"name\": \"sS\", \"parameters\": { \"q\": 3 } } ]", "policies[0].parameters: Policy 'sS' has no parameter 'q'")]
    [InlineData("\"policies\": [ { \"name\": \"sS\", \"perSku\": { \"A\": { \"s\": 9, \"S\": 3 } } } ]", "policies[0].perSku.A: (s,S) needs S >= s")]
    [InlineData("\"policies\": [ { \"name\": \"sS\", \"parameters\": { \"s\": 10, \"S\": 1e308 } } ]", "policies[0].parameters.S: must be a finite number from -1000000000 to 1000000000 (got 1E+308)")]
    [InlineData("\"policies\": [ { \"name\": \"sS\", \"parameters\": { \"s\": -5, \"S\": -1 } } ]", "policies[0].parameters: S is an order-up-to level and must be >= 0 (got -1)")]
    [InlineData("\"policies\": [ { \"name\": \"sS\", \"perSku\": { \"A\": { \"S\": 2e9 } } } ]", "policies[0].perSku.A.S: must be a finite number from -1000000000 to 1000000000 (got 2000000000)")]
    [InlineData("\"costs\": { \"fixedPerOrder\": 1e308 }", "costs.fixedPerOrder: must be >= 0 and <= 1000000000 (got 1e308)")]
    [InlineData("\"costs\": { \"shortage\": { \"perUnit\": 1e12 } }", "costs.shortage.perUnit: must be >= 0 and <= 1000000000 (got 1e12)")]
    [InlineData("\"policies\": [ { \"name\": \"rQ\" }, { \"name\": \"rQ\" } ]", "policies[1].name: 'rQ' is already used by policies[0]")]
    [InlineData("\"policies\": []", "policies: must list at least one policy")]
    [InlineData("\"generate\": { \"preset\": \"steady\", \"skus\": 0, \"years\": 1, \"seed\": 1 }", "generate.skus: must be at least 1")]
    public void A_bad_setting_is_reported_under_its_key(string member, string expected)
    {
        var json = Replace(member);

        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(json, Path));

        Assert.Contains(e.Errors, m => m.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        const string json = """{ "name": "bad name", "window": { "lastDays": 0 }, "policies": [ { "name": "sS", "colour": "red" } ], "extra": 1 }""";

        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(json, Path));

        Assert.Contains(e.Errors, m => m.StartsWith("name: may use letters", StringComparison.Ordinal));
        Assert.Contains(e.Errors, m => m.StartsWith("dataset: is required", StringComparison.Ordinal));
        Assert.Contains(e.Errors, m => m.StartsWith("window.lastDays: must be at least 1", StringComparison.Ordinal));
        Assert.Contains(e.Errors, m => m.StartsWith("policies[0].colour: unknown key", StringComparison.Ordinal));
        Assert.Contains(e.Errors, m => m.StartsWith("extra: unknown key", StringComparison.Ordinal));
    }

    [Fact]
    public void A_window_outside_the_dataset_names_the_window_key()
    {
        var dataset = TestData.Small(days: 100); // 2023-01-01 .. 2023-04-10

        var late = Assert.Throws<ScenarioException>(() =>
            ReplayWindow.Resolve(new WindowSpec(new DateOnly(2023, 3, 1), new DateOnly(2023, 5, 1), null), null, dataset, Path));
        var early = Assert.Throws<ScenarioException>(() =>
            ReplayWindow.Resolve(new WindowSpec(new DateOnly(2023, 1, 1), new DateOnly(2023, 2, 1), null), null, dataset, Path));

        Assert.Equal(["window.end: 2023-05-01 is after the dataset's last day 2023-04-10"], late.Errors);
        Assert.Contains("window.start: 2023-01-01 leaves no history", early.Errors[0]);
    }

    [Fact]
    public void Per_sku_and_per_category_keys_must_name_skus_and_categories_of_the_dataset()
    {
        var scenario = TestData.Scenario(30, new PolicyEntry
        {
            Name = "sS",
            Label = "sS",
            PerCategory = new Dictionary<string, IReadOnlyDictionary<string, double>> { ["boots"] = new Dictionary<string, double> { ["s"] = 1 } },
            PerSku = new Dictionary<string, IReadOnlyDictionary<string, double>> { ["S99"] = new Dictionary<string, double> { ["s"] = 1 } },
        });

        var e = Assert.Throws<ScenarioException>(() => TestData.Input(TestData.Small(), scenario));

        Assert.Equal(
            ["policies[0].perCategory.boots: no SKU of the dataset has this category", "policies[0].perSku.S99: the dataset has no such SKU"],
            e.Errors);
    }

    [Fact]
    public void Default_costs_follow_the_documented_rules()
    {
        var info = TestData.Small().Skus[0]; // cost 10, price 25
        Scenario With(Fulfilment f, bool purchase) => TestData.Scenario(10, TestData.Policy("sS")) with
        {
            Fulfilment = f,
            TargetServiceLevel = 0.9,
            Costs = new CostSpec { PurchaseCost = purchase },
        };

        var lostMargin = ReplayInputBuilder.CostsOf(info, With(Fulfilment.LostSales, purchase: false));
        var lostPrice = ReplayInputBuilder.CostsOf(info, With(Fulfilment.LostSales, purchase: true));
        var backorder = ReplayInputBuilder.CostsOf(info, With(Fulfilment.Backorders, purchase: false));

        Assert.Equal(0.25 * 10 / 365, lostMargin.HoldingPerUnitDay, 15);
        Assert.Equal(15, lostMargin.ShortagePerUnit);
        Assert.Equal(0, lostMargin.PurchasePerUnit);
        Assert.Equal(25, lostPrice.ShortagePerUnit);
        Assert.Equal(10, lostPrice.PurchasePerUnit);
        Assert.Equal(0.25 * 10 / 365 * 9, backorder.ShortagePerUnit, 12);
    }

    private static string Replace(string member)
    {
        var key = member[1..member.IndexOf('"', 1)];
        var doc = System.Text.Json.Nodes.JsonNode.Parse(Valid)!.AsObject();
        var replacement = System.Text.Json.Nodes.JsonNode.Parse("{" + member + "}")!.AsObject();
        doc[key] = replacement[key]!.DeepClone();
        return doc.ToJsonString();
    }
}

public sealed class ScenarioStrictJsonTests
{
    [Fact]
    public void A_key_given_twice_is_refused_at_each_place_with_the_other_per_key_errors()
    {
        const string json = """
            {
              "name": "first", "name": "second",
              "dataset": "./data",
              "costs": { "fixedPerOrder": 4, "fixedPerOrder": 400 },
              "policies": [ { "name": "sS", "parameters": { "s": 10, "s": 1 } } ],
              "reviewPeriodDays": "weekly"
            }
            """;

        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(json, "/scenarios/x/scenario.json"));

        Assert.Equal(
            [
                "name: the key is given more than once in the same object (give each key once)",
                "costs.fixedPerOrder: the key is given more than once in the same object (give each key once)",
                "policies[0].parameters.s: the key is given more than once in the same object (give each key once)",
            ],
            e.Errors.Where(x => x.Contains("more than once", StringComparison.Ordinal)));
        Assert.Contains("reviewPeriodDays: must be a whole number (got \"weekly\")", e.Errors);
    }

    [Fact]
    public void A_file_that_is_not_json_is_refused_without_quoting_it()
    {
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse("Xsecret", "/scenarios/x/scenario.json"));

        Assert.Equal("not valid JSON (line 1, position 1): a character is an invalid start of a value.", Assert.Single(e.Errors));
        Assert.DoesNotContain("X", e.Errors[0], StringComparison.Ordinal);
    }
}
