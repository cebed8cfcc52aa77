global using Xunit;
global using SeasonalGrains.Grains.Hosting;
