using SeasonalGrains.Data.Truth;

namespace SeasonalGrains.Data.Generation;

/// <summary>Options of <see cref="SeasonGenerator.Generate"/>.</summary>
public sealed record GeneratorOptions
{
    /// <summary>Number of SKUs (spread round-robin over the preset's categories, then regions).</summary>
    public int Skus { get; init; } = 50;

    /// <summary>Length in years from <see cref="Start"/> (ignored when <see cref="Days"/> is set).</summary>
    public int Years { get; init; } = 4;

    /// <summary>Length in days; overrides <see cref="Years"/> when set.</summary>
    public int? Days { get; init; }

    /// <summary>One of <see cref="SeasonGenerator.Presets"/>.</summary>
    public string Preset { get; init; } = SeasonPresets.DownJackets;

    public int Seed { get; init; } = 42;

    /// <summary>First day; the default makes four years end on 2024-12-31.</summary>
    public DateOnly Start { get; init; } = new(2021, 1, 1);

    /// <summary>Name for dataset.json; derived from the options when null.</summary>
    public string? Name { get; init; }

    public int DayCount => Days ?? (Start.AddYears(Years).DayNumber - Start.DayNumber);
}

/// <summary>A generated dataset and the true distribution its units were drawn from.</summary>
public sealed record GeneratedSeason(Dataset Dataset, TruthTable Truth);

/// <summary>Names of the generator presets.</summary>
public static class SeasonPresets
{
    /// <summary>Winter apparel: demand rises as it gets colder, peaks at Double 11 and before Spring Festival.</summary>
    public const string DownJackets = "down-jackets";

    /// <summary>Ice cream, sunscreen, fans: heat-driven, with the 618 mid-year sale.</summary>
    public const string Summer = "summer";

    /// <summary>Umbrellas, raincoats, rain boots: driven by precipitation.</summary>
    public const string Rain = "rain";

    /// <summary>Control: a flat level with a weekly pattern, no weather, holidays or promotions.</summary>
    public const string Steady = "steady";

    /// <summary>
    /// A grocery store's shelf-stable goods: levels from intermittent to fast movers, growth or decline per
    /// SKU over the years, a weekday pattern, promotions on about a third of the days lifting demand 2-4x
    /// with a dip after each, and closure days (Christmas Day, New Year's Day and two random days a year).
    /// </summary>
    public const string Promo = "promo";

    public static IReadOnlyList<string> All { get; } = [DownJackets, Summer, Rain, Steady, Promo];
}
