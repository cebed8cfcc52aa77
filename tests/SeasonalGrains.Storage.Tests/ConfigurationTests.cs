using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace SeasonalGrains.Storage.Tests;

public sealed class ConfigurationTests
{
    [Fact]
    public void Postgres_storage_without_a_connection_string_names_the_missing_key()
    {
        var options = new StorageOptions { Provider = "postgres" };

        Assert.Equal(["Storage:ConnectionString is required when Storage:Provider is 'postgres'."], options.Validate());
    }

    [Fact]
    public void An_unknown_provider_is_named_with_the_supported_ones()
    {
        Assert.Equal(
            ["Storage:Provider 'mysql' is not supported; use 'memory' or 'postgres'."],
            new StorageOptions { Provider = "mysql" }.Validate());
        Assert.Equal(
            ["Clustering:Provider 'consul' is not supported; use 'localhost' or 'postgres'."],
            new ClusteringOptions { Provider = "consul" }.Validate());
    }

    [Fact]
    public void A_malformed_connection_string_is_reported_with_its_key()
    {
        var errors = new StorageOptions { Provider = "postgres", ConnectionString = "Host=db;Colour=blue" }.Validate();

        Assert.StartsWith("Storage:ConnectionString is not a valid PostgreSQL connection string:", Assert.Single(errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_are_memory_storage_and_localhost_clustering()
    {
        var configuration = new ConfigurationBuilder().Build();

        var storage = StorageOptions.FromConfiguration(configuration);
        var clustering = ClusteringOptions.FromConfiguration(configuration);

        Assert.False(storage.UsesPostgres);
        Assert.False(clustering.UsesPostgres);
        Assert.Empty(storage.Validate());
        Assert.Empty(clustering.Validate());
        Assert.Equal((11111, 30000), (clustering.SiloPort, clustering.GatewayPort));
    }

    [Fact]
    public void Sections_bind_case_insensitively_and_clustering_falls_back_to_the_storage_connection_string()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "Postgres",
            ["Storage:ConnectionString"] = "Host=db;Username=app",
            ["Clustering:Provider"] = "POSTGRES",
            ["Clustering:ClusterId"] = "prod",
            ["Clustering:SiloPort"] = "11112",
        }).Build();

        var storage = StorageOptions.FromConfiguration(configuration);
        var clustering = ClusteringOptions.FromConfiguration(configuration);

        Assert.True(storage.UsesPostgres);
        Assert.True(clustering.UsesPostgres);
        Assert.Equal("Host=db;Username=app", clustering.ConnectionString);
        Assert.Equal("prod", clustering.ClusterId);
        Assert.Equal(11112, clustering.SiloPort);
    }

    [Fact]
    public void Clustering_validation_names_each_bad_key()
    {
        var options = new ClusteringOptions
        {
            Provider = "postgres",
            ClusterId = " ",
            SiloPort = 0,
            GatewayPort = 70000,
            AdvertisedAddress = "not-an-ip",
        };

        Assert.Equal(
            [
                "Clustering:ClusterId must not be empty.",
                "Clustering:SiloPort must be between 1 and 65535 (was 0).",
                "Clustering:GatewayPort must be between 1 and 65535 (was 70000).",
                "Clustering:AdvertisedAddress 'not-an-ip' is not an IP address.",
                "Clustering:ConnectionString is required when Clustering:Provider is 'postgres'.",
            ],
            options.Validate());
    }

    [Fact]
    public void The_pool_limit_is_added_when_the_connection_string_sets_none()
    {
        var pooled = PostgresConnectionStrings.WithPoolLimit("Host=db;Username=app");

        Assert.Equal(20, new NpgsqlConnectionStringBuilder(pooled).MaxPoolSize);
        Assert.Equal(8, new NpgsqlConnectionStringBuilder(
            new StorageOptions { Provider = "postgres", ConnectionString = "Host=db", MaxPoolSize = 8 }.GetPooledConnectionString()).MaxPoolSize);
    }

    [Theory]
    [InlineData("Host=db;Maximum Pool Size=5")]
    [InlineData("Host=db;MaxPoolSize=5")]
    [InlineData("Host=db;maximum pool size=5")]
    public void A_pool_size_set_by_the_user_is_kept(string connectionString)
    {
        Assert.Equal(5, new NpgsqlConnectionStringBuilder(PostgresConnectionStrings.WithPoolLimit(connectionString)).MaxPoolSize);
    }

    [Fact]
    public void Configuring_a_silo_with_bad_settings_lists_every_problem_at_once()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "postgres",
            ["Clustering:Provider"] = "postgres",
        }).Build();

        var options = SiloSettings.Bind(() => new SeasonalGrainsOptions
        {
            Storage = StorageOptions.FromConfiguration(configuration),
            Clustering = ClusteringOptions.FromConfiguration(configuration),
            ReplayCallsInFlight = 0,
        });
        var error = Assert.Throws<StorageConfigurationException>(() =>
            new HostBuilder().UseOrleans(silo => silo.AddSeasonalGrains(options)).Build());

        Assert.Equal(
            [
                "Storage:ConnectionString is required when Storage:Provider is 'postgres'.",
                "Clustering:ConnectionString is required when Clustering:Provider is 'postgres'.",
                "ReplayCallsInFlight must be at least 1 (got 0).",
            ],
            error.Errors);
        Assert.Equal(error.Errors.Take(2), Assert.Throws<StorageConfigurationException>(() => SiloSettings.FromConfiguration(configuration)).Errors);
    }

    [Fact]
    public void Postgres_storage_is_registered_behind_the_error_translating_wrapper_with_the_Npgsql_invariant()
    {
        var storage = new StorageOptions { Provider = "postgres", ConnectionString = "Host=db;Username=app" };
        var clustering = new ClusteringOptions();
        using var host = new HostBuilder()
            .UseOrleans(silo => silo.AddSeasonalGrains(SiloSettings.From(storage, clustering)))
            .Build();

        var adoNet = host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<Orleans.Configuration.AdoNetGrainStorageOptions>>()
            .Get("skus" + SeasonalStorageHostingExtensions.InnerStorageSuffix);

        Assert.Equal("Npgsql", adoNet.Invariant);
        Assert.Equal(20, new NpgsqlConnectionStringBuilder(adoNet.ConnectionString).MaxPoolSize);
        Assert.IsType<Orleans.Storage.OrleansGrainStorageSerializer>(adoNet.GrainStorageSerializer);
        var registered = host.Services.GetRequiredKeyedService<Orleans.Storage.IGrainStorage>("skus");
        Assert.IsType<Orleans.Storage.AdoNetGrainStorage>(Assert.IsType<ErrorTranslatingGrainStorage>(registered).Inner);
    }
}
