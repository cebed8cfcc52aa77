namespace SeasonalGrains.Data.Io;

/// <summary>The file names of a dataset folder.</summary>
public static class DatasetFiles
{
    /// <summary>Every file the dataset format defines (others in a folder are left alone by the writer).</summary>
    public static IReadOnlyList<string> All { get; } = [Demand, Skus, Calendar, Weather, Info, Truth];

    // required
    public const string Demand = "demand.csv";
    public const string Skus = "skus.csv";
    public const string Info = "dataset.json";

    // optional: the calendar, the weather and (generated datasets only) the true demand distribution
    public const string Calendar = "calendar.csv";
    public const string Weather = "weather.csv";
    public const string Truth = "truth.csv";
}

/// <summary>Options of <see cref="DatasetReader.Read"/>.</summary>
public sealed record DatasetReadOptions
{
    /// <summary>At most this many errors are listed; a final entry counts the rest.</summary>
    public int MaxErrors { get; init; } = 10_000;

    /// <summary>Receives the fraction done (0..1) while reading.</summary>
    public IProgress<double>? Progress { get; init; }
}
