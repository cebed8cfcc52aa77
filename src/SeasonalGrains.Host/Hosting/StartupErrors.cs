using SeasonalGrains.Grains.Hosting;
using SeasonalGrains.Storage;

namespace SeasonalGrains.Host.Hosting;

/// <summary>Start-up failures caused by settings or the database (not by a bug), told in one message without a stack trace.</summary>
public static class StartupErrors
{
    /// <summary>The exit code of a host that could not start because of its settings or database.</summary>
    public const int ExitCode = 2;

    /// <summary>The message for a settings or schema problem anywhere in the exception's chain; null for anything else.</summary>
    public static string? Explain(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var pending = new Stack<Exception>([exception]);
        while (pending.Count > 0)
        {
            switch (pending.Pop())
            {
                case StorageConfigurationException e:
                    return "invalid settings: " + string.Join(" ", e.Errors);
                case DatabaseSchemaException e:
                    return e.Message;
                case AggregateException e:
                    foreach (var inner in e.InnerExceptions)
                    {
                        pending.Push(inner);
                    }

                    break;
                case { InnerException: { } inner }:
                    pending.Push(inner);
                    break;
            }
        }

        return null;
    }
}
