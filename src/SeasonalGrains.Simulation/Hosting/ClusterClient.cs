using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using SeasonalGrains.Storage;

namespace SeasonalGrains.Simulation.Hosting;

/// <summary>
/// An Orleans client of a running cluster (silos started with <c>seasonal serve</c>), found through the membership
/// table as <see cref="ClusteringOptions"/> say: a replay driven through it runs its replay and SKU grains on the
/// cluster's silos, spread over them, instead of in an embedded silo.
/// </summary>
public sealed class ClusterClient : GrainHost
{
    private ClusterClient(IHost host)
        : base(host)
    {
    }

    /// <summary>
    /// How long a call of the client may take: one replay grain call runs a chunk of days for a batch of SKU grains (each
    /// writing its checkpoint, some forecasting), which on a loaded cluster, or one silo left of two, takes longer than
    /// Orleans' default of 30 s.
    /// </summary>
    public static TimeSpan ResponseTimeout { get; } = TimeSpan.FromMinutes(5);

    /// <summary>How long joining the cluster may take before the run is refused.</summary>
    public static TimeSpan ConnectTimeout { get; } = TimeSpan.FromSeconds(20);

    /// <summary>Connects to a gateway of the cluster.</summary>
    /// <exception cref="StorageConfigurationException">The clustering options are invalid (every bad key is named).</exception>
    /// <exception cref="InvalidOperationException">No gateway of the cluster answered; the message names the cluster.</exception>
    public static async Task<ClusterClient> ConnectAsync(ClusteringOptions clustering, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(clustering);
        clustering.EnsureValid();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleansClient(client => client
            .UseSeasonalClustering(clustering)
            .Configure<ClientMessagingOptions>(o => o.ResponseTimeout = ResponseTimeout));
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        patience.CancelAfter(ConnectTimeout);
        try
        {
            return new ClusterClient(await StartAsync(builder.Build(), patience.Token));
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            var reason = e is OperationCanceledException ? $"within {ConnectTimeout.TotalSeconds:0} s" : $"({e.GetBaseException().Message})";
            throw new InvalidOperationException(
                $"no silo of cluster '{clustering.ClusterId}' answered {reason}; start the silos with `seasonal serve --clustering postgres` on the same database and cluster id first",
                e);
        }
    }
}
