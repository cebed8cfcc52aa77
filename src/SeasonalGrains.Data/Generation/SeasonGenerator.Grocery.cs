using SeasonalGrains.Domain.Calendar;

namespace SeasonalGrains.Data.Generation;

/// <summary>
/// The grocery mean model (<see cref="GroceryModel"/>): per SKU and day,
/// <c>μ = base · (1 + growth)^(t / 365.25) · exp(weekly) · lift · dip</c>, and μ = 0 on the store's closure
/// days. A promotion run lowers the price by its discount and multiplies the mean by
/// <c>1 + (L − 1) · discount / reference</c>; on the days after a run the mean is lowered by the SKU's dip,
/// linearly back to normal. Promotions, prices and closures are in the data for every day (demand.csv's
/// price and promo columns, calendar.csv's holiday and <c>closed</c> event column), so they are known in
/// advance.
/// </summary>
public static partial class SeasonGenerator
{
    private const ulong ClosureStream = 0x434C4F5345440000UL;

    /// <summary>Christmas Day, New Year's Day and <see cref="GroceryModel.RandomClosuresPerYear"/> random days of each year.</summary>
    private static bool[] ClosureDays(GroceryModel model, DateOnly start, int days, Xoshiro256StarStar rng)
    {
        var closed = new bool[days];
        var end = start.AddDays(days - 1);
        void Close(DateOnly date)
        {
            if (date >= start && date <= end)
            {
                closed[date.DayNumber - start.DayNumber] = true;
            }
        }

        for (var year = start.Year; year <= end.Year; year++)
        {
            var newYear = new DateOnly(year, 1, 1);
            var christmas = new DateOnly(year, 12, 25);
            Close(newYear);
            Close(christmas);

            // Drawn over the whole year, so a year's random closures do not depend on where the range starts.
            var chosen = new HashSet<DateOnly>();
            var daysInYear = DateTime.IsLeapYear(year) ? 366 : 365;
            while (chosen.Count < model.RandomClosuresPerYear)
            {
                var date = newYear.AddDays(rng.NextInt(daysInYear));
                if (date != newYear && date != christmas && chosen.Add(date))
                {
                    Close(date);
                }
            }
        }

        return closed;
    }

    /// <summary>The grocery calendar: only closure days carry a holiday (<c>christmas|closed</c>, <c>new-year|closed</c>, <c>closed</c>).</summary>
    private static void GroceryCalendar(bool[] closed, DateOnly start, string?[] holidayNames)
    {
        for (var d = 0; d < closed.Length; d++)
        {
            if (!closed[d])
            {
                continue;
            }

            var date = start.AddDays(d);
            holidayNames[d] = (date.Month, date.Day) switch
            {
                (12, 25) => $"{StandardHolidays.Christmas.Name}{DatasetHolidays.NameSeparator}{GroceryModel.Closed}",
                (1, 1) => $"{GroceryModel.NewYear}{DatasetHolidays.NameSeparator}{GroceryModel.Closed}",
                _ => GroceryModel.Closed,
            };
        }
    }

    private static (SkuInfo, SkuSeries, double[], double) GenerateGrocerySku(
        string sku,
        CategoryModel category,
        GroceryModel model,
        string region,
        bool[] closed,
        DateOnly start,
        int days,
        Xoshiro256StarStar rng)
    {
        var baseLevel = category.MedianBase * Math.Exp(model.BaseSigma * rng.NextNormal());
        var size = Math.Exp(rng.NextUniform(Math.Log(2), Math.Log(25)));
        var growth = rng.NextUniform(model.GrowthMin, model.GrowthMax);
        var lift = rng.NextUniform(model.LiftMin, model.LiftMax);
        var dip = rng.NextUniform(model.DipMin, model.DipMax);
        var share = rng.NextUniform(model.PromoShareMin, model.PromoShareMax);
        var listPrice = Math.Round(rng.NextUniform(category.MinPrice, category.MaxPrice), 2);
        var cost = Math.Round(listPrice * rng.NextUniform(model.CostShareMin, model.CostShareMax), 2);
        var leadTime = rng.NextInt(model.LeadTimeMin, model.LeadTimeMax);
        var byTheCase = rng.NextBool(model.CasePackShare);
        var casePack = byTheCase && baseLevel >= model.CasePackMinBase ? model.CasePack : 1;

        // Alternating runs: a promotion of PromoRunMin..PromoRunMax days, then at least PromoGapMin regular
        // days plus a geometric number more, with means such that run / (run + gap) = share.
        var meanRun = (model.PromoRunMin + model.PromoRunMax) / 2.0;
        var meanGap = meanRun * (1 - share) / share;
        var extraGap = Math.Max(0, meanGap - model.PromoGapMin);
        var logStay = Math.Log(extraGap / (extraGap + 1)); // geometric on 0, 1, ... with mean extraGap
        int NextGap() => model.PromoGapMin + (extraGap <= 0 ? 0 : (int)Math.Floor(Math.Log(1 - rng.NextDouble()) / logStay));

        var units = new double[days];
        var price = new double[days];
        var promo = new bool[days];
        var mean = new double[days];
        var gapLeft = rng.NextInt((int)Math.Ceiling(meanGap) + 1); // a random phase, so SKUs do not start together
        var promoLeft = 0;
        var sincePromo = int.MaxValue;
        var discount = 0.0;
        var yearlyLog = Math.Log(1 + growth);
        for (var d = 0; d < days; d++)
        {
            if (promoLeft == 0 && gapLeft == 0)
            {
                promoLeft = rng.NextInt(model.PromoRunMin, model.PromoRunMax);
                discount = model.Discounts[rng.NextInt(model.Discounts.Length)];
                gapLeft = NextGap();
            }

            var factor = 1.0;
            if (promoLeft > 0)
            {
                promoLeft--;
                promo[d] = true;
                sincePromo = 0;
                factor = 1 + ((lift - 1) * discount / model.ReferenceDiscount);
            }
            else
            {
                gapLeft--;
                sincePromo = sincePromo == int.MaxValue ? sincePromo : sincePromo + 1;
                if (sincePromo <= model.DipDays)
                {
                    factor = 1 - (dip * (model.DipDays + 1 - sincePromo) / model.DipDays);
                }
            }

            price[d] = promo[d] ? Math.Round(listPrice * (1 - discount), 2) : listPrice;
            var weekly = category.Weekly[((int)start.AddDays(d).DayOfWeek + 6) % 7];
            var trend = Math.Exp(yearlyLog * d / 365.25);
            var mu = closed[d] ? 0 : Math.Max(0.001, Math.Round(baseLevel * trend * Math.Exp(weekly) * factor, 4));
            mean[d] = mu;
            units[d] = rng.NextNegativeBinomial(mu, size);
        }

        var earlyMean = EarlyMean(mean, days);
        var info = new SkuInfo(sku, category.Name, region, cost, listPrice, leadTime, Math.Round(model.InitialDays * earlyMean), 0, casePack, cost);
        return (info, new SkuSeries(sku, units, price, promo), mean, size);
    }
}
