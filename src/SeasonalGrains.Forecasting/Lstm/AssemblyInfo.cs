using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("SeasonalGrains.Forecasting.Tests")]
