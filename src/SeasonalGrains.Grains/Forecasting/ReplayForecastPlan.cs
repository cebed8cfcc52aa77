using SeasonalGrains.Data.Cleaning;
using SeasonalGrains.Data.Io;
using SeasonalGrains.Data.Model;
using SeasonalGrains.Data.Truth;
using SeasonalGrains.Forecasting;
using SeasonalGrains.Forecasting.Backtest;
using SeasonalGrains.Forecasting.Lstm;
using SeasonalGrains.Forecasting.Outlook;

namespace SeasonalGrains.Grains.Forecasting;

/// <summary>
/// The one way from a run's <see cref="ReplayForecasters"/> to its forecast sources: the client's own silo builds them
/// over the dataset it has loaded (<see cref="Create"/>), any other silo reads the dataset and model folders the spec
/// names, checks their fingerprints and builds the same sources (<see cref="Load"/>).
/// </summary>
public static class ReplayForecastPlan
{
    /// <summary>The source options a spec describes; the truth (for <c>oracle</c>) is read from the spec's dataset folder when asked for.</summary>
    public static ForecastSourceOptions Options(ReplayForecasters spec, Dataset dataset)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(dataset);
        return new ForecastSourceOptions
        {
            Outlook = new OutlookOptions
            {
                ReviewPeriodDays = spec.ReviewPeriodDays,
                Horizon = spec.Horizon,
                Seed = spec.Seed,
                Sampling = new SamplePathSettings(spec.Paths, spec.Correlation),
                RetainOrigins = spec.RetainOrigins,
            },
            Truth = () => TruthOf(spec.DatasetFolder, dataset),
            ModelFolders = spec.ModelFolder is { } folder
                ? new Dictionary<string, string>(StringComparer.Ordinal) { [ForecasterRegistry.Lstm] = folder }
                : new Dictionary<string, string>(StringComparer.Ordinal),
            Lstm = new LstmSourceSettings
            {
                Inference = Enum.Parse<LstmInference>(spec.LstmInference, ignoreCase: true),
                RestartDays = spec.LstmRestartDays,
                Precision = InferencePrecisions.Parse(spec.LstmPrecision),
            },
        };
    }

    /// <summary>The sources of <paramref name="spec"/> over an already loaded (and cleaned) dataset.</summary>
    public static ReplayForecastSources Create(Dataset dataset, ReplayForecasters spec)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(spec);
        var sources = ReplayForecastSources.Create(dataset, spec.Names, Options(spec, dataset));
        try
        {
            WarmUp(sources, spec);
            return sources;
        }
        catch
        {
            sources.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Reads the spec's dataset folder, cleans it as the spec says and builds the sources, after checking that the dataset
    /// and model folders hold the bytes the client fingerprinted.
    /// </summary>
    /// <exception cref="InvalidOperationException">A folder is missing or differs from the client's; the message names it.</exception>
    public static ReplayForecastSources Load(ReplayForecasters spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        Check("dataset", spec.DatasetFolder, spec.DatasetSha256);
        if (spec.ModelFolder is { } model)
        {
            Check("model", model, spec.ModelSha256 ?? throw new InvalidOperationException($"The run's forecasters name the model folder {model} without its fingerprint."));
        }

        var read = DatasetReader.Read(spec.DatasetFolder);
        var (cleaned, _) = DatasetCleaner.Clean(read, new CleaningOptions
        {
            Missing = Enum.Parse<MissingValueMode>(spec.Missing, ignoreCase: true),
            Outliers = Enum.Parse<OutlierMode>(spec.Outliers, ignoreCase: true),
            IqrK = spec.IqrK,
            MinObservationsForOutliers = spec.MinObservationsForOutliers,
        });
        return Create(cleaned, spec);
    }

    private static void Check(string what, string folder, string expected)
    {
        if (!Directory.Exists(folder))
        {
            throw new InvalidOperationException(
                $"The run's {what} folder {folder} does not exist on this silo; silos read the run's dataset and model from a file system they share with the client.");
        }

        var actual = FolderFingerprint.Of(folder);
        if (!string.Equals(actual, expected, StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                $"The run's {what} folder {folder} differs on this silo from the client's (SHA-256 {actual[..12]}... here, {expected[..Math.Min(12, expected.Length)]}... at the client); " +
                "every silo must read the same files as the client that started the run.");
        }
    }

    /// <summary>
    /// The ensemble chooses its members on validation windows before each origin, all SKUs at once: the first review of
    /// a replay needs every window's member fits, at its origin and at the earlier origins its error record reads (every
    /// review period back to <see cref="OutlookOptions.ErrorWindowDays"/>), which would otherwise run inside the first
    /// grain call and can pass the silo's response timeout. They are made here, before the grains start; later origins
    /// add one window at a time.
    /// </summary>
    private static void WarmUp(ReplayForecastSources sources, ReplayForecasters spec)
    {
        if (spec.FirstOrigin is not { } origin || !spec.Names.Any(n => ForecasterRegistry.Default.Resolve(n, ForecasterUses.Replay).Name == ForecasterRegistry.Ensemble))
        {
            return;
        }

        var provider = sources.Provider(ForecasterRegistry.Ensemble);
        for (var s = origin - spec.ReviewPeriodDays; s >= Math.Max(1, origin - provider.Options.ErrorWindowDays); s -= spec.ReviewPeriodDays)
        {
            _ = provider.Forecasts(s);
        }

        _ = provider.Forecasts(origin);
    }

    private static TruthTableDemandTruth TruthOf(string folder, Dataset dataset)
    {
        var table = TruthReader.Read(folder, dataset)
            ?? throw new InvalidOperationException($"the 'oracle' forecaster needs the true demand distribution, but the dataset folder {folder} has no truth.csv (only generated datasets have one)");
        return TruthTableDemandTruth.Create(table);
    }
}
