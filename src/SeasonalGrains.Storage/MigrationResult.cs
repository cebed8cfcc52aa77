namespace SeasonalGrains.Storage;

/// <summary>A migration recorded in the database's history table.</summary>
public sealed record AppliedMigration(int Version, string Name, string Checksum, DateTimeOffset AppliedAt);

/// <summary>What one <see cref="DatabaseMigrator.MigrateAsync"/> run did.</summary>
/// <param name="PreviousVersion">The schema version found before the run (0 for an empty database).</param>
/// <param name="CurrentVersion">The schema version after the run.</param>
/// <param name="Applied">The migrations applied by this run, in order; empty when the database was up to date.</param>
public sealed record MigrationResult(int PreviousVersion, int CurrentVersion, IReadOnlyList<AppliedMigration> Applied)
{
    /// <summary>True when the run changed nothing.</summary>
    public bool WasUpToDate => Applied.Count == 0;
}
