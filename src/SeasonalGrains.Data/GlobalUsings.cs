global using System.Globalization;
global using SeasonalGrains.Data.Csv;
global using SeasonalGrains.Data.Io;
global using SeasonalGrains.Data.Model;
