global using System.Globalization;
global using SeasonalGrains.Data.Model;
global using SeasonalGrains.Forecasting.Baselines;
global using SeasonalGrains.Forecasting.Features;
