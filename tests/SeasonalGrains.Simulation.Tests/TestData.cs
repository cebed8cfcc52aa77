using SeasonalGrains.Data.Model;
using SeasonalGrains.Simulation.Replay;
using SeasonalGrains.Simulation.Scenarios;

namespace SeasonalGrains.Simulation.Tests;

/// <summary>Small hand-built datasets whose numbers follow simple formulas.</summary>
internal static class TestData
{
    public static readonly DateOnly Start = new(2023, 1, 1);

    /// <summary>The repository's root folder (the one holding SeasonalGrains.sln), found above the test binaries.</summary>
    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "SeasonalGrains.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException($"No SeasonalGrains.sln above {AppContext.BaseDirectory}.");
    }

    /// <summary>
    /// <paramref name="skus"/> SKUs over <paramref name="days"/> days. Demand of SKU i on day d is
    /// (3i + 5d) mod 11, with a zero every 13th day; lead times 0..3; a holiday every 30 days.
    /// </summary>
    public static Dataset Small(int skus = 4, int days = 120)
    {
        var infos = new SkuInfo[skus];
        var series = new SkuSeries[skus];
        for (var i = 0; i < skus; i++)
        {
            infos[i] = new SkuInfo(
                Sku: $"S{i + 1:00}",
                Category: i % 2 == 0 ? "coats" : "hats",
                Region: i % 2 == 0 ? "north" : "south",
                UnitCost: 10 + i,
                UnitPrice: 25 + (2 * i),
                LeadTimeDays: i % 4,
                InitialOnHand: 20 + (5 * i),
                Moq: i == 1 ? 8 : 0,
                CasePack: i == 2 ? 6 : 1,
                SalvageValue: 3);
            var units = new double[days];
            var price = new double[days];
            var promo = new bool[days];
            for (var d = 0; d < days; d++)
            {
                units[d] = d % 13 == 0 ? 0 : ((3 * i) + (5 * d)) % 11;
                price[d] = infos[i].UnitPrice - (d % 10 == 0 ? 5 : 0);
                promo[d] = d % 10 == 0;
            }

            series[i] = new SkuSeries(infos[i].Sku, units, price, promo);
        }

        var holidays = new string?[days];
        for (var d = 0; d < days; d++)
        {
            holidays[d] = d % 30 == 29 ? "festival" : null;
        }

        var info = new DatasetInfo("small", "hand-built test data", "CC0-1.0", Start, Start.AddDays(days - 1));
        return new Dataset(info, Start, days, infos, series, new DatasetCalendar(holidays, new Dictionary<string, double[]>()));
    }

    /// <summary>A scenario over the last <paramref name="windowDays"/> days with explicit costs and the given policies.</summary>
    public static Scenario Scenario(int windowDays, params PolicyEntry[] policies) => new()
    {
        Name = "test",
        DatasetFolder = "",
        Window = new WindowSpec(null, null, windowDays),
        Costs = new CostSpec
        {
            HoldingBasis = HoldingBasis.PerUnitDay,
            Holding = 0.05,
            ShortageBasis = ShortageBasis.PerUnit,
            Shortage = 2,
            FixedPerOrder = 3,
        },
        Policies = policies,
    };

    public static PolicyEntry Policy(string name, string? label = null, Dictionary<string, double>? parameters = null) => new()
    {
        Name = name,
        Label = label ?? name,
        Parameters = parameters ?? [],
    };

    public static ReplayInput Input(Dataset dataset, Scenario scenario)
    {
        var window = ReplayWindow.Resolve(scenario.Window, scenario.HistoryDays, dataset, "test");
        return ReplayInputBuilder.Build(scenario, dataset, window);
    }
}
