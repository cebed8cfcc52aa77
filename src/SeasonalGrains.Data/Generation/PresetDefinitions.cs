namespace SeasonalGrains.Data.Generation;

/// <summary>The climate of one generated region.</summary>
internal sealed record RegionClimate(
    string Name,
    double MeanTemp,
    double Amplitude,
    double AnomalySd,
    double ColdSnapRate,
    double ColdSnapMin,
    double ColdSnapMax,
    double HeatWaveRate,
    double HeatWaveMin,
    double HeatWaveMax,
    int WetPeakDoy,
    double DryToWet,
    double DryToWetSeasonal,
    double WetToWet,
    double WetToWetSeasonal,
    double RainMm,
    double RainMmSeasonal,
    double Humidity,
    double HumiditySeasonal)
{
    /// <summary>Day of year of the coldest point of the seasonal curve (late January).</summary>
    public const int ColdestDoy = 20;

    /// <summary>Lag-one autocorrelation of the daily temperature anomaly.</summary>
    public const double AnomalyPhi = 0.75;

    public static RegionClimate North { get; } = new(
        "north", MeanTemp: 12, Amplitude: 15, AnomalySd: 3.0,
        ColdSnapRate: 0.03, ColdSnapMin: 5, ColdSnapMax: 11,
        HeatWaveRate: 0.02, HeatWaveMin: 3, HeatWaveMax: 6,
        WetPeakDoy: 200, DryToWet: 0.06, DryToWetSeasonal: 0.30, WetToWet: 0.30, WetToWetSeasonal: 0.30,
        RainMm: 3, RainMmSeasonal: 10, Humidity: 40, HumiditySeasonal: 35);

    public static RegionClimate South { get; } = new(
        "south", MeanTemp: 22, Amplitude: 7.5, AnomalySd: 2.0,
        ColdSnapRate: 0.02, ColdSnapMin: 3, ColdSnapMax: 7,
        HeatWaveRate: 0.02, HeatWaveMin: 2, HeatWaveMax: 4,
        WetPeakDoy: 165, DryToWet: 0.15, DryToWetSeasonal: 0.35, WetToWet: 0.45, WetToWetSeasonal: 0.30,
        RainMm: 5, RainMmSeasonal: 15, Humidity: 65, HumiditySeasonal: 20);
}

/// <summary>How a category's demand responds to the weather (effects on the log of the mean).</summary>
internal enum WeatherDriver
{
    None,

    /// <summary>β · clamp((reference − T̄)/10, 0, 3) with T̄ the 7-day smoothed temperature.</summary>
    Cold,

    /// <summary>β · clamp((T̄ − reference)/10, 0, 2).</summary>
    Heat,

    /// <summary>β · (ln(1 + P/5) + ½ ln(1 + P₋₁/5)) with P the precipitation in mm.</summary>
    Rain,
}

/// <summary>A product category of a preset.</summary>
internal sealed record CategoryModel(
    string Name,
    WeatherDriver Driver,
    double Beta,
    double ReferenceTemp,
    double MedianBase,
    double MinPrice,
    double MaxPrice,
    double[] Weekly,
    double SunnyBonus = 0,
    double SeasonPhase = 0);

/// <summary>Holiday effects on the log of the mean (0 for none).</summary>
internal sealed record HolidayProfile(
    double Double11Day,
    double Double11Ramp,
    double Double11After,
    double Day618,
    double Ramp618,
    double SpringRamp,
    double SpringPause,
    double ChristmasDay,
    bool FestivalDiscounts)
{
    public static HolidayProfile None { get; } = new(0, 0, 0, 0, 0, 0, 0, 0, false);
}

/// <summary>
/// The structure of a grocery preset, used instead of the weather, holiday and elasticity model. Per SKU:
/// mean = base · (1 + growth)^(years since start) · exp(weekly) · promotion lift · post-promotion dip, and 0 on
/// closure days.
/// </summary>
/// <param name="BaseSigma">Log-sd of the SKU's base level around the category's median.</param>
/// <param name="GrowthMin">Lowest yearly growth of a SKU's level (negative: decline).</param>
/// <param name="GrowthMax">Highest yearly growth.</param>
/// <param name="PromoShareMin">Lowest expected share of a SKU's days on promotion.</param>
/// <param name="PromoShareMax">Highest expected share.</param>
/// <param name="PromoRunMin">Shortest promotion run in days.</param>
/// <param name="PromoRunMax">Longest promotion run in days.</param>
/// <param name="PromoGapMin">Fewest regular days between two runs.</param>
/// <param name="Discounts">Price cuts of a run, drawn per run.</param>
/// <param name="LiftMin">Lowest lift of a SKU at the reference discount (lift = 1 + (L − 1) · discount / reference).</param>
/// <param name="LiftMax">Highest lift at the reference discount.</param>
/// <param name="ReferenceDiscount">The discount at which a SKU's lift is L (the mean of <paramref name="Discounts"/>).</param>
/// <param name="DipDays">Days after a run over which demand is lowered, linearly back to normal.</param>
/// <param name="DipMin">Lowest dip on the first day after a run (a fraction of the mean).</param>
/// <param name="DipMax">Highest dip.</param>
/// <param name="RandomClosuresPerYear">Closure days per year besides Christmas Day and New Year's Day.</param>
/// <param name="LeadTimeMin">Shortest lead time in days.</param>
/// <param name="LeadTimeMax">Longest lead time in days.</param>
/// <param name="CasePack">The case pack of SKUs sold by the case.</param>
/// <param name="CasePackShare">Share of SKUs with a base level of at least <paramref name="CasePackMinBase"/> sold by the case.</param>
/// <param name="CasePackMinBase">Smallest base level (units a day) of a SKU sold by the case.</param>
/// <param name="CostShareMin">Lowest unit cost as a share of the list price.</param>
/// <param name="CostShareMax">Highest unit cost as a share of the list price.</param>
/// <param name="InitialDays">Initial stock in days of the mean of the first 28 days.</param>
internal sealed record GroceryModel(
    double BaseSigma,
    double GrowthMin,
    double GrowthMax,
    double PromoShareMin,
    double PromoShareMax,
    int PromoRunMin,
    int PromoRunMax,
    int PromoGapMin,
    double[] Discounts,
    double LiftMin,
    double LiftMax,
    double ReferenceDiscount,
    int DipDays,
    double DipMin,
    double DipMax,
    int RandomClosuresPerYear,
    int LeadTimeMin,
    int LeadTimeMax,
    double CasePack,
    double CasePackShare,
    double CasePackMinBase,
    double CostShareMin,
    double CostShareMax,
    double InitialDays)
{
    /// <summary>The calendar.csv holiday and event column of a closure day.</summary>
    public const string Closed = "closed";

    /// <summary>The holiday name of 1 January in a grocery calendar.</summary>
    public const string NewYear = "new-year";

    public static GroceryModel Store { get; } = new(
        BaseSigma: 1.1, GrowthMin: -0.10, GrowthMax: 0.30,
        PromoShareMin: 0.27, PromoShareMax: 0.39, PromoRunMin: 3, PromoRunMax: 10, PromoGapMin: 3,
        Discounts: [0.20, 0.25, 0.30], LiftMin: 2, LiftMax: 4, ReferenceDiscount: 0.25,
        DipDays: 3, DipMin: 0.10, DipMax: 0.30,
        RandomClosuresPerYear: 2,
        LeadTimeMin: 1, LeadTimeMax: 3,
        CasePack: 6, CasePackShare: 0.3, CasePackMinBase: 2,
        CostShareMin: 0.55, CostShareMax: 0.75,
        InitialDays: 7);
}

internal sealed record PresetDefinition(
    string Name,
    string Description,
    RegionClimate[] Regions,
    CategoryModel[] Categories,
    HolidayProfile Holidays,
    double PromoStartRate,
    GroceryModel? Grocery = null)
{
    // Monday .. Sunday: online shopping leans to Sunday and Monday evenings.
    private static readonly double[] OnlineWeek = [0.06, 0.03, 0.0, -0.02, -0.05, -0.08, 0.06];

    // Monday .. Sunday: store-like staples peak at the weekend.
    private static readonly double[] StoreWeek = [-0.12, -0.10, -0.06, 0.0, 0.08, 0.22, 0.15];

    // Monday .. Sunday: drinks and snacks lean harder to Friday and Saturday.
    private static readonly double[] WeekendWeek = [-0.18, -0.15, -0.10, -0.02, 0.15, 0.30, 0.05];

    // Monday .. Sunday: household goods are bought on the big weekly shop, less peaked.
    private static readonly double[] FlatWeek = [-0.05, -0.05, -0.03, 0.0, 0.03, 0.10, 0.05];

    public static PresetDefinition Get(string name) => name switch
    {
        SeasonPresets.DownJackets => DownJackets,
        SeasonPresets.Summer => Summer,
        SeasonPresets.Rain => Rain,
        SeasonPresets.Steady => Steady,
        SeasonPresets.Promo => Promo,
        _ => throw new ArgumentException($"unknown preset '{name}' (expected {string.Join(", ", SeasonPresets.All)})", nameof(name)),
    };

    private static PresetDefinition DownJackets { get; } = new(
        SeasonPresets.DownJackets,
        "winter apparel: demand rises as the 7-day temperature falls, ramps up before Double 11 and in the three weeks before Spring Festival, pauses during the festival and fades in spring",
        [RegionClimate.North, RegionClimate.South],
        [
            new("down-jacket", WeatherDriver.Cold, Beta: 0.8, ReferenceTemp: 18, MedianBase: 2, MinPrice: 80, MaxPrice: 300, OnlineWeek, SeasonPhase: 0.35),
            new("thermal", WeatherDriver.Cold, Beta: 0.6, ReferenceTemp: 16, MedianBase: 4, MinPrice: 15, MaxPrice: 60, OnlineWeek, SeasonPhase: 0.3),
            new("scarf", WeatherDriver.Cold, Beta: 0.5, ReferenceTemp: 15, MedianBase: 3, MinPrice: 10, MaxPrice: 40, OnlineWeek, SeasonPhase: 0.3),
        ],
        new HolidayProfile(Double11Day: 1.4, Double11Ramp: 0.35, Double11After: -0.25, Day618: 0.4, Ramp618: 0.1,
            SpringRamp: 0.7, SpringPause: -0.9, ChristmasDay: 0.2, FestivalDiscounts: true),
        PromoStartRate: 1.0 / 45);

    private static PresetDefinition Summer { get; } = new(
        SeasonPresets.Summer,
        "summer goods: demand rises with the 7-day temperature (sunscreen also on dry days), peaks at the 618 sale",
        [RegionClimate.North, RegionClimate.South],
        [
            new("ice-cream", WeatherDriver.Heat, Beta: 0.9, ReferenceTemp: 15, MedianBase: 8, MinPrice: 2, MaxPrice: 8, OnlineWeek),
            new("sunscreen", WeatherDriver.Heat, Beta: 0.6, ReferenceTemp: 12, MedianBase: 3, MinPrice: 8, MaxPrice: 30, OnlineWeek, SunnyBonus: 0.15, SeasonPhase: -0.2),
            new("fan", WeatherDriver.Heat, Beta: 1.1, ReferenceTemp: 22, MedianBase: 1.5, MinPrice: 20, MaxPrice: 80, OnlineWeek),
        ],
        new HolidayProfile(Double11Day: 0.8, Double11Ramp: 0.15, Double11After: -0.15, Day618: 1.2, Ramp618: 0.3,
            SpringRamp: 0, SpringPause: -0.9, ChristmasDay: 0, FestivalDiscounts: true),
        PromoStartRate: 1.0 / 45);

    private static PresetDefinition Rain { get; } = new(
        SeasonPresets.Rain,
        "rain gear: demand rises with the day's and the previous day's precipitation",
        [RegionClimate.North, RegionClimate.South],
        [
            new("umbrella", WeatherDriver.Rain, Beta: 0.8, ReferenceTemp: 0, MedianBase: 3, MinPrice: 5, MaxPrice: 25, OnlineWeek),
            new("raincoat", WeatherDriver.Rain, Beta: 0.6, ReferenceTemp: 0, MedianBase: 1.5, MinPrice: 10, MaxPrice: 40, OnlineWeek),
            new("rain-boots", WeatherDriver.Rain, Beta: 0.5, ReferenceTemp: 0, MedianBase: 1, MinPrice: 15, MaxPrice: 50, OnlineWeek),
        ],
        new HolidayProfile(Double11Day: 0.8, Double11Ramp: 0.15, Double11After: -0.15, Day618: 0.8, Ramp618: 0.15,
            SpringRamp: 0, SpringPause: -0.9, ChristmasDay: 0, FestivalDiscounts: true),
        PromoStartRate: 1.0 / 60);

    private static PresetDefinition Steady { get; } = new(
        SeasonPresets.Steady,
        "control: a constant level per SKU with a weekly pattern; no weather, holiday or promotion effects",
        [RegionClimate.North, RegionClimate.South],
        [
            new("household", WeatherDriver.None, Beta: 0, ReferenceTemp: 0, MedianBase: 8, MinPrice: 3, MaxPrice: 15, StoreWeek),
            new("pantry", WeatherDriver.None, Beta: 0, ReferenceTemp: 0, MedianBase: 12, MinPrice: 2, MaxPrice: 10, StoreWeek),
        ],
        HolidayProfile.None,
        PromoStartRate: 0);

    private static PresetDefinition Promo { get; } = new(
        SeasonPresets.Promo,
        "a grocery store's shelf-stable goods (pantry, snacks, beverages, household) in one store: base levels from under 1 to over 50 units a day, yearly growth of -10%..+30% per SKU, a weekday pattern, promotions on about a third of the days (runs of 3-10 days at 20-30% off) lifting the mean 2-4x with a dip over the 3 days after, and the store closed on Christmas Day, New Year's Day and two random days a year (calendar.csv holiday and event column 'closed'); no weather effect; salvage value = unit cost",
        [RegionClimate.North with { Name = "store" }],
        [
            new("pantry", WeatherDriver.None, Beta: 0, ReferenceTemp: 0, MedianBase: 4, MinPrice: 1.5, MaxPrice: 8, StoreWeek),
            new("snacks", WeatherDriver.None, Beta: 0, ReferenceTemp: 0, MedianBase: 5, MinPrice: 1, MaxPrice: 6, WeekendWeek),
            new("beverages", WeatherDriver.None, Beta: 0, ReferenceTemp: 0, MedianBase: 6, MinPrice: 1, MaxPrice: 12, WeekendWeek),
            new("household", WeatherDriver.None, Beta: 0, ReferenceTemp: 0, MedianBase: 2, MinPrice: 2, MaxPrice: 15, FlatWeek),
        ],
        HolidayProfile.None,
        PromoStartRate: 0,
        GroceryModel.Store);
}
