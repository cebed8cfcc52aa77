using SeasonalGrains.Cli;

return await SeasonalCli.RunAsync(args);
