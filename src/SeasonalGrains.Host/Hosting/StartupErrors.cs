using SeasonalGrains.Grains.Hosting;
using SeasonalGrains.Grains.Live.Registry;
using SeasonalGrains.Storage;

namespace SeasonalGrains.Host.Hosting;

/// <summary>Start-up failures caused by settings or the database (not by a bug), told in one message without a stack trace.</summary>
public static class StartupErrors
{
    /// <summary>The exit code of a host that could not start because of its settings or database.</summary>
    public const int ExitCode = 2;

    /// <summary>
    /// The message for a settings or schema problem anywhere in the exception's chain; null for anything else.
    /// Settings problems (<see cref="StorageConfigurationException"/>, and the <see cref="OptionsValidationException"/>
    /// of options validated at start, such as <c>Api:Keys:0:Key</c> or <c>Live:Forecaster</c>, and the
    /// <see cref="ModelRegistryException"/> of a <c>Live:Registry</c> whose active version cannot be served) are told together, each naming its key.
    /// </summary>
    public static string? Explain(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var settings = new List<string>();
        var pending = new Queue<Exception>([exception]);
        while (pending.Count > 0)
        {
            switch (pending.Dequeue())
            {
                case StorageConfigurationException e:
                    settings.AddRange(e.Errors);
                    break;
                case OptionsValidationException e:
                    settings.AddRange(e.Failures);
                    break;
                case ModelRegistryException e:
                    settings.Add(e.Message);
                    break;
                case DatabaseSchemaException e:
                    return e.Message;
                case AggregateException e:
                    foreach (var inner in e.InnerExceptions)
                    {
                        pending.Enqueue(inner);
                    }

                    break;
                case { InnerException: { } inner }:
                    pending.Enqueue(inner);
                    break;
            }
        }

        return settings.Count > 0 ? "invalid settings: " + string.Join(" ", settings.Distinct(StringComparer.Ordinal)) : null;
    }
}
