namespace SeasonalGrains.Forecasting.Baselines;

/// <summary>
/// The (seasonal) naive family: from origin s, day s-1+h is forecast by the last observed day of the same phase,
/// <c>y[s - m + ((h - 1) mod m)]</c>. The period m is the first of <paramref name="periods"/> (descending, ending
/// with 1) not longer than the history seen at s.
/// </summary>
public abstract class SeasonalNaiveFamilyForecaster(string name, int[] periods, int residualWindow)
    : ResidualQuantileForecaster(residualWindow)
{
    public override string Name => name;

    protected override void ComputePaths(double[] history, int horizon, int firstOrigin, PathSink sink)
    {
        var path = new double[horizon];
        for (var s = firstOrigin; s <= history.Length; s++)
        {
            var m = 1;
            foreach (var candidate in periods)
            {
                if (candidate <= s)
                {
                    m = candidate;
                    break;
                }
            }

            for (var h = 1; h <= horizon; h++)
            {
                path[h - 1] = history[s - m + ((h - 1) % m)];
            }

            sink(s, path);
        }
    }
}
