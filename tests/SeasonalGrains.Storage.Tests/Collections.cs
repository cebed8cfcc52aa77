using SeasonalGrains.TestSupport;

namespace SeasonalGrains.Storage.Tests;

[CollectionDefinition(PostgresDatabaseFixture.Collection)]
public sealed class PostgresCollection : ICollectionFixture<PostgresDatabaseFixture>;

[CollectionDefinition(OrleansClusterFixture.Collection)]
public sealed class OrleansClusterCollection : ICollectionFixture<OrleansClusterFixture>;
