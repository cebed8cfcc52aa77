using SeasonalGrains.Data.Generation;

namespace SeasonalGrains.Cli.Commands;

/// <summary><c>seasonal generate</c>: writes a generated seasonal dataset folder (with truth.csv).</summary>
public sealed class GenerateCommand : CliCommand
{
    private readonly Option<string> _preset = CliOptions.Defaulted(
        "--preset", $"The season preset: {string.Join(", ", SeasonGenerator.Presets)}.", SeasonPresets.DownJackets);

    private readonly Option<int> _skus = CliOptions.Defaulted("--skus", "Number of SKUs.", 50);

    private readonly Option<int> _years = CliOptions.Defaulted("--years", "Years of daily data.", 4);

    private readonly Option<int> _seed = CliOptions.Defaulted("--seed", "Random seed (same seed, same data).", 42);

    private readonly Option<DirectoryInfo> _out = OutputOptions.DatasetFolder();

    private readonly Option<bool> _force = OutputOptions.Force();

    public GenerateCommand()
    {
        _preset.AcceptOnlyFromAmong([.. SeasonGenerator.Presets]);
    }

    public override IReadOnlyList<string> Path => ["generate"];

    public override string Description => "Generate a seasonal demand dataset with known truth.";

    public override IEnumerable<Symbol> Symbols => [_preset, _skus, _years, _seed, _out, _force];

    public override async Task<int> ExecuteAsync(ParseResult parse, CliContext context, CancellationToken cancellationToken)
    {
        var skus = parse.GetValue(_skus);
        var years = parse.GetValue(_years);
        if (skus < 1)
        {
            throw new UserInputException($"--skus must be at least 1 (got {skus}).");
        }

        if (years is < 1 or > 50)
        {
            throw new UserInputException($"--years must be between 1 and 50 (got {years}).");
        }

        var options = new GeneratorOptions
        {
            Preset = parse.GetRequiredValue(_preset),
            Skus = skus,
            Years = years,
            Seed = parse.GetValue(_seed),
        };
        var force = parse.GetValue(_force);
        var folder = OutputFolder.Check(parse.GetRequiredValue(_out).FullName, force);
        var season = await CliProgress.RunAsync(context, report =>
            Task.Run(() => SeasonGenerator.GenerateTo(options, folder, new Progress<double>(f => report("Generating", f)), force), cancellationToken));
        var d = season.Dataset;
        context.Console.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"Wrote {folder}: {d.Skus.Count:N0} SKUs x {d.Days:N0} days ({d.Start:yyyy-MM-dd}..{d.End:yyyy-MM-dd}), preset {options.Preset}, seed {options.Seed}.")));
        return SeasonalCli.Ok;
    }
}
