global using System.Globalization;
global using System.Text.Json;
global using Microsoft.Extensions.Options;
global using SeasonalGrains.Abstractions;
global using SeasonalGrains.Abstractions.Live;
