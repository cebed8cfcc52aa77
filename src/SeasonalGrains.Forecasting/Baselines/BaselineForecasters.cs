namespace SeasonalGrains.Forecasting;

/// <summary>The statistical baselines with their default settings.</summary>
public static class BaselineForecasters
{
    /// <summary>
    /// naive, seasonal-naive, seasonal-naive-yearly, moving-average (28 days), ets, croston (alpha 0.1)
    /// and tsb (alpha 0.1, beta 0.1), in that order.
    /// </summary>
    public static IReadOnlyList<IForecaster> CreateAll() =>
    [
        new NaiveForecaster(),
        new SeasonalNaiveForecaster(),
        new YearlySeasonalNaiveForecaster(),
        new MovingAverageForecaster(),
        new EtsForecaster(),
        new CrostonForecaster(),
        new TsbForecaster(),
    ];

    /// <summary>The baseline with the given <see cref="IForecaster.Name"/>, or an error listing the known names.</summary>
    public static IForecaster Create(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var all = CreateAll();
        return all.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException(
                $"Unknown baseline forecaster '{name}'. Known: {string.Join(", ", all.Select(f => f.Name))}.", nameof(name));
    }
}
