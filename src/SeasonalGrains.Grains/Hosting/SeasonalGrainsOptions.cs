using SeasonalGrains.Storage;

namespace SeasonalGrains.Grains.Hosting;

/// <summary>
/// Settings of a silo that hosts the SeasonalGrains grains: where membership and grain state live
/// (<see cref="Clustering"/> and <see cref="Storage"/>, the <c>Clustering</c> and <c>Storage</c> sections,
/// which also hold the cluster and service ids and the ports) and what the grains may do.
/// </summary>
public sealed class SeasonalGrainsOptions
{
    public const int DefaultReplayCallsInFlight = 256;

    /// <summary>Grain state and reminders: in this process's memory (default) or in PostgreSQL.</summary>
    public StorageOptions Storage { get; set; } = new();

    /// <summary>Membership, ids and ports: one silo on localhost (default) or a PostgreSQL membership table.</summary>
    public ClusteringOptions Clustering { get; set; } = new();

    /// <summary>How many SKU grain calls one replay grain keeps in flight at most.</summary>
    public int ReplayCallsInFlight { get; set; } = DefaultReplayCallsInFlight;

    /// <summary>How often a silo asks the replay grains of the runs whose forecast sources it built whether they have ended.</summary>
    public TimeSpan ReplaySourcesCheckInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Forecast sources a silo built for a run and nobody used for this long are released (a run whose client died).</summary>
    public TimeSpan ReplaySourcesIdleTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The policies SKU grains may name. Defaults to the classical and the forecast-driven policies.</summary>
    public PolicyCatalog Policies { get; set; } = ForecastPolicyCatalog.All;

    /// <summary>The distinct PostgreSQL connection strings in use (storage, clustering), pool limits applied.</summary>
    public IReadOnlyList<string> PostgresConnectionStrings
    {
        get
        {
            var strings = new List<string>();
            if (Storage.UsesPostgres)
            {
                strings.Add(Storage.GetPooledConnectionString());
            }

            if (Clustering.UsesPostgres && !strings.Contains(Clustering.GetPooledConnectionString(), StringComparer.Ordinal))
            {
                strings.Add(Clustering.GetPooledConnectionString());
            }

            return strings;
        }
    }

    /// <summary>Every problem, each naming its setting; empty when the options are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Storage is null)
        {
            errors.Add($"{nameof(Storage)} must be set.");
        }
        else
        {
            errors.AddRange(Storage.Validate());
        }

        if (Clustering is null)
        {
            errors.Add($"{nameof(Clustering)} must be set.");
        }
        else
        {
            errors.AddRange(Clustering.Validate());
        }

        if (ReplayCallsInFlight < 1)
        {
            errors.Add($"{nameof(ReplayCallsInFlight)} must be at least 1 (got {ReplayCallsInFlight}).");
        }

        if (ReplaySourcesCheckInterval <= TimeSpan.Zero || ReplaySourcesIdleTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{nameof(ReplaySourcesCheckInterval)} and {nameof(ReplaySourcesIdleTimeout)} must be positive (got {ReplaySourcesCheckInterval} and {ReplaySourcesIdleTimeout}).");
        }

        if (Policies is null)
        {
            errors.Add($"{nameof(Policies)} must be set.");
        }

        return errors;
    }
}
