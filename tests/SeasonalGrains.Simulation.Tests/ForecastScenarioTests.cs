using SeasonalGrains.Forecasting.Features;
using SeasonalGrains.Grains.Forecasting;
using SeasonalGrains.Simulation.Scenarios;

namespace SeasonalGrains.Simulation.Tests;

/// <summary>Scenario keys of forecast policies, tuning, sweeps and generated seasons.</summary>
public sealed class ForecastScenarioTests
{
    private const string Path = "/scenarios/x/scenario.json";

    [Fact]
    public void Forecast_policies_tuned_policies_sweep_outlook_and_generate_start_are_read()
    {
        var s = ScenarioLoader.Parse("""
            {
              "name": "cmp",
              "dataset": "data",
              "generate": { "preset": "down-jackets", "skus": 20, "years": 4, "seed": 1, "start": "2021-04-01" },
              "window": { "start": "2024-04-01", "end": "2025-03-31" },
              "forecasters": { "lstm": { "model": "../../models/down-jackets" } },
              "outlook": { "seed": 7, "paths": 500, "correlation": 0.3 },
              "sweep": { "targetServiceLevel": [0.8, 0.9, 0.99] },
              "tuning": { "scope": "category", "forecastDays": 182 },
              "policies": [
                { "name": "sS-tuned" },
                { "name": "forecast-order-up-to:ets", "parameters": { "q": 0.9 } },
                { "name": "forecast-order-up-to:perfect-foresight", "label": "pf" },
                { "name": "forecast-safety-stock:lstm" }
              ]
            }
            """, Path);

        Assert.Equal(new GenerateSpec("down-jackets", 20, 4, 1, new DateOnly(2021, 4, 1)), s.Generate);
        Assert.Equal("/models/down-jackets", s.Forecasters["lstm"].Model);
        Assert.Equal(new OutlookSpec(7, 500, 0.3), s.Outlook);
        Assert.Equal(SweepSpec.TargetServiceLevel, s.Sweep!.Parameter);
        Assert.Equal([0.8, 0.9, 0.99], s.Sweep.Values);
        Assert.Equal(new TuningSpec(TuningScope.Category, 182), s.Tuning);
        Assert.Equal(["sS-tuned", "forecast-order-up-to:ets", "pf", "forecast-safety-stock:lstm"], s.Policies.Select(p => p.Label));
        Assert.Equal(["sS", "forecast-order-up-to", "forecast-order-up-to", "forecast-safety-stock"], s.Policies.Select(p => p.Name));
        Assert.Equal([null, "ets", "oracle", "lstm"], s.Policies.Select(p => p.Forecaster));
        Assert.Equal([true, false, false, false], s.Policies.Select(p => p.Tuned));
        Assert.Equal(LstmInference.Window, s.Forecasters["lstm"].Inference);
        Assert.Equal(UnitScaling.Level, s.Forecasters["lstm"].Scaling); // what seasonal train defaults to
    }

    [Fact]
    public void The_lstm_can_run_stateful_with_its_restart_days_and_precision_and_train_level_scaled()
    {
        var s = ScenarioLoader.Parse(
            Scenario("\"forecasters\": { \"lstm\": { \"model\": \"m\", \"inference\": \"stateful\", \"restartDays\": 14, \"precision\": \"bfloat16\", \"trainIfMissing\": true, \"scaling\": \"level\" } }, \"policies\": [ { \"name\": \"sS\" } ]"),
            Path);

        Assert.Equal(new ForecasterSettings("/scenarios/x/m", LstmInference.Stateful, 14, "bfloat16") { TrainIfMissing = true, Scaling = UnitScaling.Level }, s.Forecasters["lstm"]);
    }

    [Theory]
    [InlineData("{ \"name\": \"forecast-order-up-to:prophet\" }", "policies[0].name: unknown forecaster 'prophet' in 'forecast-order-up-to:prophet'")]
    [InlineData("{ \"name\": \"forecast-order-up-to\" }", "policies[0].name: policy 'forecast-order-up-to' orders from a forecast")]
    [InlineData("{ \"name\": \"sS:ets\" }", "policies[0].name: policy 'sS' does not use a forecast")]
    [InlineData("{ \"name\": \"forecast-order-up-to:lstm\" }", "policies[0].name: forecaster 'lstm' needs its model folder")]
    [InlineData("{ \"name\": \"sS-tuned\", \"parameters\": { \"s\": 3 } }", "policies[0].name: 'sS-tuned' takes its parameters from the tuning")]
    [InlineData("{ \"name\": \"forecast-order-up-to:ets\", \"parameters\": { \"z\": 1 } }", "policies[0].parameters: Policy 'forecast-order-up-to' has no parameter 'z'")]
    public void A_bad_forecast_or_tuned_policy_is_an_error_naming_its_key(string policy, string expected)
    {
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(Scenario($"\"policies\": [ {policy} ]"), Path));

        Assert.Contains(e.Errors, m => m.StartsWith(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("\"sweep\": { \"targetServiceLevel\": [0.9, 1.2] }", "sweep.targetServiceLevel[1]: must be a service level strictly between 0 and 1")]
    [InlineData("\"sweep\": { \"targetServiceLevel\": [] }", "sweep.targetServiceLevel: must list at least one value")]
    [InlineData("\"sweep\": { \"q\": [0.9] }", "sweep.targetServiceLevel: is required")]
    [InlineData("\"outlook\": { \"paths\": 1 }", "outlook.paths: must be between 2 and 100000")]
    [InlineData("\"forecasters\": { \"ets\": { \"alpha\": 1 } }", "forecasters.ets: unknown key")]
    [InlineData("\"forecasters\": { \"lstm\": { \"model\": \"m\", \"inference\": \"carry\" } }", "forecasters.lstm.inference:")]
    [InlineData("\"forecasters\": { \"lstm\": { \"model\": \"m\", \"restartDays\": -1 } }", "forecasters.lstm.restartDays:")]
    [InlineData("\"forecasters\": { \"lstm\": { \"model\": \"m\", \"scaling\": \"log\" } }", "forecasters.lstm.scaling: must be one of 'sku', 'level' (got 'log')")]
    [InlineData("\"tuning\": { \"scope\": \"region\" }", "tuning.scope:")]
    [InlineData("\"tuning\": { \"forecastDays\": 3 }", "tuning.forecastDays:")]
    [InlineData("\"generate\": { \"preset\": \"steady\", \"skus\": 2, \"years\": 1, \"seed\": 1, \"start\": \"April\" }", "generate.start:")]
    public void Bad_comparison_settings_are_errors_naming_their_key(string member, string expected)
    {
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(Scenario(member + ", \"policies\": [ { \"name\": \"sS\" } ]"), Path));

        Assert.Contains(e.Errors, m => m.StartsWith(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("compare.json")]
    [InlineData("compare-sweep.json")]
    public void The_down_jackets_comparisons_hold_out_the_last_whole_season(string file)
    {
        var s = ScenarioLoader.Load(System.IO.Path.Combine(TestData.RepositoryRoot(), "simulations", "down-jackets", file));
        var g = s.Generate!;
        var generated = new SeasonalGrains.Data.Generation.GeneratorOptions { Preset = g.Preset, Skus = g.Skus, Years = g.Years, Seed = g.Seed, Start = g.Start!.Value };

        // four years from 2021-04-01 end on 2025-03-31: the window is the last of four whole seasons
        Assert.Equal(new DateOnly(2025, 3, 31), g.Start.Value.AddDays(generated.DayCount - 1));
        Assert.Equal(new WindowSpec(new DateOnly(2024, 4, 1), new DateOnly(2025, 3, 31), null), s.Window);
        Assert.Equal(200, g.Skus);
        Assert.Contains(s.Policies, p => p is { Name: "sS", Tuned: true });
        Assert.Contains(s.Policies, p => p.Forecaster == "oracle");
    }

    private static string Scenario(string members) =>
        $"{{ \"name\": \"x\", \"dataset\": \"data\", \"window\": {{ \"lastDays\": 30 }}, {members} }}";
}
