namespace SeasonalGrains.Forecasting.Features;

/// <summary>
/// The network input for one SKU at one origin, as built by <see cref="FeatureBuilder"/>.
/// <see cref="Past"/> is row-major [Window, PastFeatureCount] for days origin-Window .. origin-1 (rows before
/// the data starts are zeros); <see cref="Future"/> is row-major [Horizon, KnownFeatureCount] for days
/// origin .. origin+Horizon-1. <see cref="Category"/> and <see cref="Region"/> are vocabulary indices of the
/// schema. Outputs of the network are multiplied by <see cref="Scale"/> to give units: the SKU's unit scale, or its level at the
/// origin (<see cref="FeatureSchema.Scaling"/>).
/// </summary>
public sealed record ForecastWindow(float[] Past, float[] Future, int Category, int Region, float Scale);
