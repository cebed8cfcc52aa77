namespace SeasonalGrains.Storage;

/// <summary>Storage or clustering settings are missing or invalid; the message names each bad key.</summary>
public sealed class StorageConfigurationException : Exception
{
    public StorageConfigurationException()
    {
        Errors = [];
    }

    public StorageConfigurationException(string message)
        : base(message)
    {
        Errors = [message];
    }

    public StorageConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [message];
    }

    public StorageConfigurationException(IReadOnlyList<string> errors)
        : base(string.Join(Environment.NewLine, errors))
    {
        Errors = errors;
    }

    /// <summary>One sentence per problem, each naming its configuration key.</summary>
    public IReadOnlyList<string> Errors { get; }

    /// <summary>Throws when <paramref name="errors"/> lists any problem.</summary>
    public static void ThrowIfAny(IReadOnlyList<string> errors)
    {
        if (errors.Count > 0)
        {
            throw new StorageConfigurationException(errors);
        }
    }
}
