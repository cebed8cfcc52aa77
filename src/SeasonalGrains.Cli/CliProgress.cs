namespace SeasonalGrains.Cli;

/// <summary>
/// Progress bars for long steps: one bar per named stage, fed with fractions 0..1. On a
/// non-interactive console (a log, a pipe) the stages that take long get a line at each quarter instead.
/// </summary>
public static class CliProgress
{
    /// <summary>Stages of which a non-interactive console hears each quarter (the others would only add lines).</summary>
    private static readonly string[] LongStages = ["Training the LSTM (first use)", "Generating dataset"];

    public static async Task<T> RunAsync<T>(CliContext context, Func<Action<string, double>, Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(work);
        if (!context.Interactive)
        {
            var printed = new Dictionary<string, int>(StringComparer.Ordinal);
            var lines = new object();
            return await work((stage, fraction) =>
            {
                if (!LongStages.Contains(stage, StringComparer.Ordinal))
                {
                    return;
                }

                var quarter = (int)Math.Floor(Math.Clamp(fraction, 0, 1) * 4);
                lock (lines)
                {
                    if (!printed.TryGetValue(stage, out var last) || quarter > last)
                    {
                        printed[stage] = quarter;
                        context.Output.WriteLine($"{stage}: {quarter * 25}%");
                        context.Output.Flush();
                    }
                }
            });
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
