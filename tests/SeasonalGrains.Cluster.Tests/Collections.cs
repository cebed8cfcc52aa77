using SeasonalGrains.TestSupport;

namespace SeasonalGrains.Cluster.Tests;

/// <summary>Every test class shares one throwaway PostgreSQL server; each test makes its own database.</summary>
[CollectionDefinition(PostgresDatabaseFixture.Collection)]
public sealed class PostgresCollection : ICollectionFixture<PostgresDatabaseFixture>;
