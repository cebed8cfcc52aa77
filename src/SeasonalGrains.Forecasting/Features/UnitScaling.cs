using System.Text.Json.Serialization;

namespace SeasonalGrains.Forecasting.Features;

/// <summary>
/// How the LSTM's unit inputs and targets are scaled (<see cref="FeatureSchema.Scaling"/>, the training option
/// <c>scaling</c>).
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<UnitScaling>))]
public enum UnitScaling
{
    /// <summary>One number per SKU: its mean daily units over the fitted days (<see cref="SkuScaler.UnitScale"/>).</summary>
    [JsonStringEnumMemberName(UnitScalings.Sku)]
    Sku,

    /// <summary>
    /// The SKU's recent level (<see cref="FeatureSchema.LevelAt"/>): the units of day d are divided by the level
    /// after day d, the outputs made at origin t multiplied by the level at t.
    /// </summary>
    [JsonStringEnumMemberName(UnitScalings.Level)]
    Level,
}

/// <summary>The names of <see cref="UnitScaling"/> as commands, scenario files and model.json write them.</summary>
public static class UnitScalings
{
    public const string Sku = "sku";
    public const string Level = "level";

    /// <summary>The names a scaling option accepts.</summary>
    public static string[] Names => JsonEnumNames<UnitScaling>.Names;

    /// <summary>The scaling a name stands for; an unknown name is refused with the known ones.</summary>
    public static UnitScaling Parse(string name) => JsonEnumNames<UnitScaling>.Parse(name, "scaling");

    public static string Name(UnitScaling scaling) => JsonEnumNames<UnitScaling>.Name(scaling);
}
