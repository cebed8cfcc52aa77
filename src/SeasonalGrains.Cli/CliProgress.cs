using Spectre.Console;

namespace SeasonalGrains.Cli;

/// <summary>
/// Progress bars for long steps: one bar per named stage, fed with fractions 0..1. On a
/// non-interactive console the work runs without bars.
/// </summary>
public static class CliProgress
{
    public static async Task<T> RunAsync<T>(CliContext context, Func<Action<string, double>, Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(work);
        if (!context.Interactive)
        {
            return await work(static (_, _) => { });
        }

        return await context.Console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async ctx =>
            {
                var tasks = new Dictionary<string, ProgressTask>(StringComparer.Ordinal);
                var gate = new object();
                void Report(string stage, double fraction)
                {
                    lock (gate)
                    {
                        if (!tasks.TryGetValue(stage, out var task))
                        {
                            foreach (var other in tasks.Values.Where(t => !t.IsFinished))
                            {
                                other.Value = other.MaxValue;
                            }

                            task = ctx.AddTask(Markup.Escape(stage), maxValue: 1.0);
                            tasks[stage] = task;
                        }

                        task.Value = Math.Clamp(fraction, task.Value, 1.0);
                    }
                }

                var result = await work(Report);
                lock (gate)
                {
                    foreach (var task in tasks.Values)
                    {
                        task.Value = task.MaxValue;
                    }
                }

                return result;
            });
    }
}
