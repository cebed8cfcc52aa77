global using System.CommandLine;
global using System.Globalization;
global using Microsoft.Extensions.Configuration;
global using SeasonalGrains.Data.Io;
global using Spectre.Console;
