using SeasonalGrains.Forecasting.Lstm;

namespace SeasonalGrains.Cli;

/// <summary>
/// Builds the options commands declare. Each call makes a new option (each command owns its symbols); the options
/// several commands share are made here once, so they read the same everywhere.
/// </summary>
internal static class CliOptions
{
    /// <summary>An option that may be left out.</summary>
    public static Option<T> Optional<T>(string name, string description) => new(name) { Description = description };

    /// <summary>An option with a short alias that may be left out.</summary>
    public static Option<T> Optional<T>(string name, string alias, string description) => new(name, alias) { Description = description };

    /// <summary>A required option with a short alias.</summary>
    public static Option<T> Required<T>(string name, string alias, string description) => new(name, alias)
    {
        Description = description,
        Required = true,
    };

    /// <summary>An option that takes <paramref name="value"/> when it is not given (shown in the help).</summary>
    public static Option<T> Defaulted<T>(string name, string description, T value) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => value,
    };

    /// <summary>The required <c>--dataset</c> folder a command reads.</summary>
    public static Option<DirectoryInfo> Dataset(string description = "The dataset folder.") =>
        Required<DirectoryInfo>("--dataset", "-d", description);

    /// <summary>The network number format of an LSTM (<see cref="InferencePrecisions"/>), auto by default.</summary>
    public static Option<string> Precision(string description)
    {
        var option = Defaulted("--precision", description, InferencePrecisions.Auto);
        option.AcceptOnlyFromAmong(InferencePrecisions.Names);
        return option;
    }
}
