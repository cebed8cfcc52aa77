namespace SeasonalGrains.Grains.Live.Registry;

/// <summary>Why a registry request was refused.</summary>
public enum ModelRegistryFailure
{
    /// <summary>The folder is not a model that loads, or the name is not a model name.</summary>
    InvalidModel,

    /// <summary>The same files are already registered under the name.</summary>
    AlreadyRegistered,

    /// <summary>No such NAME@VERSION.</summary>
    UnknownVersion,

    /// <summary>A rollback with no previously active version.</summary>
    NothingToRollBack,

    /// <summary>A promotion without a challenger (no version added after the active one and never activated).</summary>
    NoChallenger,

    /// <summary>A promotion refused: the challenger does not score better than the active version, or has too few scored days.</summary>
    NotBetter,

    /// <summary>The stored files of a version do not match its fingerprint.</summary>
    Damaged,

    /// <summary>The registry cannot be read or written (a folder, the database).</summary>
    Unavailable,
}

/// <summary>A registry request that was refused; the message says why (and what is known), nothing was changed.</summary>
public sealed class ModelRegistryException(ModelRegistryFailure failure, string message, Exception? inner = null) : Exception(message, inner)
{
    public ModelRegistryFailure Failure { get; } = failure;
}
