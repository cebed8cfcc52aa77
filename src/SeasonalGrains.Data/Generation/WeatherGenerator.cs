namespace SeasonalGrains.Data.Generation;

/// <summary>
/// Daily weather of one region: a seasonal temperature curve plus AR(1) anomalies, cold snaps in
/// winter (November to March) and heat waves in summer (June to August); precipitation from a
/// two-state wet/dry Markov chain with seasonal transition probabilities and gamma-distributed
/// amounts; humidity from season and rain. Values are rounded to 0.1 as a station would report them.
/// </summary>
internal static class WeatherGenerator
{
    public static RegionWeather Generate(RegionClimate climate, DateOnly start, int days, Xoshiro256StarStar rng)
    {
        var temp = new double[days];
        var humidity = new double[days];
        var precip = new double[days];
        var innovationSd = climate.AnomalySd * Math.Sqrt(1 - (RegionClimate.AnomalyPhi * RegionClimate.AnomalyPhi));
        var anomaly = climate.AnomalySd * rng.NextNormal();
        int snapLeft = 0, snapLength = 0;
        double snapDepth = 0;
        var wet = false;
        for (var d = 0; d < days; d++)
        {
            var date = start.AddDays(d);
            var doy = date.DayOfYear;
            var seasonal = climate.MeanTemp - (climate.Amplitude * Math.Cos(2 * Math.PI * (doy - RegionClimate.ColdestDoy) / 365.25));
            anomaly = (RegionClimate.AnomalyPhi * anomaly) + (innovationSd * rng.NextNormal());

            // Cold snaps and heat waves: a sudden shift that fades linearly over a few days.
            var winter = date.Month is >= 11 or <= 3;
            var summer = date.Month is >= 6 and <= 8;
            var startDraw = rng.NextDouble();
            var lengthDraw = rng.NextDouble();
            var depthDraw = rng.NextDouble();
            if (snapLeft == 0)
            {
                if (winter && startDraw < climate.ColdSnapRate)
                {
                    snapLength = snapLeft = 3 + (int)(lengthDraw * 4);
                    snapDepth = -(climate.ColdSnapMin + (depthDraw * (climate.ColdSnapMax - climate.ColdSnapMin)));
                }
                else if (summer && startDraw < climate.HeatWaveRate)
                {
                    snapLength = snapLeft = 3 + (int)(lengthDraw * 5);
                    snapDepth = climate.HeatWaveMin + (depthDraw * (climate.HeatWaveMax - climate.HeatWaveMin));
                }
            }

            var shift = 0.0;
            if (snapLeft > 0)
            {
                shift = snapDepth * snapLeft / snapLength;
                snapLeft--;
            }

            temp[d] = Math.Round(seasonal + anomaly + shift, 1);

            // Wet season weight in [0, 1], 1 at the region's wettest day of the year.
            var w = 0.5 * (1 + Math.Cos(2 * Math.PI * (doy - climate.WetPeakDoy) / 365.25));
            var pWet = wet ? climate.WetToWet + (climate.WetToWetSeasonal * w) : climate.DryToWet + (climate.DryToWetSeasonal * w);
            wet = rng.NextDouble() < pWet;
            const double Shape = 0.75;
            var amount = rng.NextGamma(Shape, (climate.RainMm + (climate.RainMmSeasonal * w)) / Shape);
            precip[d] = wet ? Math.Max(0.1, Math.Round(amount, 1)) : 0;

            var h = climate.Humidity + (climate.HumiditySeasonal * w) + (wet ? 12 : 0) + (5 * rng.NextNormal());
            humidity[d] = Math.Round(Math.Clamp(h, 10, 100), 1);
        }

        return new RegionWeather(climate.Name, temp, humidity, precip);
    }
}
