using System.Globalization;
using SeasonalGrains.Data.Model;

namespace SeasonalGrains.Grains.Live.Export;

/// <summary>
/// Lays out live SKUs' stored history as a dataset (what <c>seasonal train --dataset</c> reads): each SKU's kept sales
/// history (the definition's seed history, then its closed days, at most <see cref="LiveSkuOptions.MaxHistoryDays"/> days
/// before its open day) as demand, out of stock (<c>in_stock</c> 0) on the closed days that ended with nothing on hand, its
/// posted prices and promotions (other days at the unit price), its master data as skus.csv, and the shop's calendar and
/// the SKUs' regions' weather as the silos stored them. The range runs from the earliest kept day to the latest closed day.
/// </summary>
public static class LiveHistoryExport
{
    /// <summary>The dataset of <paramref name="skus"/> (by SKU) with the shared days of <paramref name="days"/> (by grain key); null when no SKU has a day of history.</summary>
    public static LiveExport? Build(string name, IReadOnlyDictionary<string, LiveSkuState> skus, IReadOnlyDictionary<string, LiveDaysState> days, string source)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(skus);
        ArgumentNullException.ThrowIfNull(days);
        var kept = skus
            .Where(s => s.Value.Definition is not null && History(s.Value).Count > 0)
            .OrderBy(s => s.Key, StringComparer.Ordinal)
            .ToList();
        if (kept.Count == 0)
        {
            return null;
        }

        var start = kept.Min(s => s.Value.OpenDate.AddDays(-History(s.Value).Count));
        var end = kept.Max(s => s.Value.OpenDate.AddDays(-1));
        var length = end.DayNumber - start.DayNumber + 1;
        var infos = new List<SkuInfo>();
        var series = new List<SkuSeries>();
        var stockoutDays = 0;
        var stockKnownDays = 0;
        foreach (var (sku, state) in kept)
        {
            var definition = state.Definition!;
            var history = History(state);
            var first = state.OpenDate.AddDays(-history.Count).DayNumber - start.DayNumber;
            var units = LiveFeatureWindow.Filled(length);
            var price = LiveFeatureWindow.Filled(length);
            var promo = new bool[length];
            var censored = new bool[length];
            var unitPrice = definition.Terms.UnitPrice > 0 ? definition.Terms.UnitPrice : double.NaN;
            for (var t = 0; t < history.Count; t++)
            {
                units[first + t] = history[t];
                price[first + t] = unitPrice;
            }

            foreach (var p in state.Prices)
            {
                var t = p.Date.DayNumber - start.DayNumber;
                if (t >= first && t < first + history.Count)
                {
                    price[t] = p.Price ?? price[t];
                    promo[t] = p.Promo;
                }
            }

            foreach (var date in state.StockoutDays ?? [.. state.Days.Where(d => d.OnHand <= 0).Select(d => d.Date)])
            {
                var t = date.DayNumber - start.DayNumber;
                if (t >= first && t < first + history.Count)
                {
                    censored[t] = true;
                    stockoutDays++;
                }
            }

            stockKnownDays += Math.Min(history.Count, state.Ledger?.Day ?? 0);
            var terms = definition.Terms;
            infos.Add(new SkuInfo(sku, definition.Category, definition.Region, terms.UnitCost, terms.UnitPrice, terms.LeadTimeDays, terms.InitialOnHand, terms.Moq, terms.CasePack, terms.SalvageValue));
            series.Add(new SkuSeries(sku, units, price, promo, censored));
        }

        var calendar = days.TryGetValue(ILiveDaysGrain.ShopKey, out var shop) && shop.Calendar.Length > 0 ? Calendar(shop.Calendar, start, length) : null;
        var weather = new Dictionary<string, RegionWeather>(StringComparer.Ordinal);
        foreach (var region in infos.Select(i => i.Region).Where(r => r.Length > 0).Distinct(StringComparer.Ordinal))
        {
            if (days.TryGetValue(ILiveDaysGrain.WeatherKey(region), out var w) && w.Weather.Length > 0)
            {
                weather[region] = LiveFeatureWindow.LayOutWeather(region, w.Weather, start, length);
            }
        }

        var notes = string.Create(
            CultureInfo.InvariantCulture,
            $"Exported from the live SKUs of {source}: each SKU's kept sales history (seed history, then closed days; at most {LiveSkuOptions.MaxHistoryDays} days before its open day). " +
            $"in_stock is 0 on the {stockoutDays} closed days that ended with nothing on hand; seed-history days and days closed before stockouts were recorded read as in stock.");
        var dataset = new Dataset(
            new DatasetInfo(name, "live", "", start, end, notes),
            start,
            length,
            infos,
            series,
            calendar,
            weather.Count == 0 ? null : weather);
        return new LiveExport(dataset, stockoutDays, stockKnownDays, calendar is not null, weather.Count);
    }

    /// <summary>The state's units sold on each day before its open day, oldest first.</summary>
    private static IReadOnlyList<double> History(LiveSkuState state)
    {
        if (state.SalesHistory is { } sales)
        {
            return sales;
        }

        // stored before the whole history was kept: the seed when no day is missing, then the closed days it has
        var closed = state.Days.Select(d => d.Sales);
        return state.Ledger is { } ledger && ledger.Day == state.Days.Length ? [.. (state.Definition?.History ?? []).Concat(closed)] : [.. closed];
    }

    /// <summary>Every posted event name becomes a column.</summary>
    private static DatasetCalendar Calendar(LiveCalendarDay[] posted, DateOnly start, int length) =>
        LiveFeatureWindow.LayOutCalendar(
            posted, start, length, posted.SelectMany(d => d.Events.Select(e => e.Name)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
}

/// <param name="StockoutDays">SKU-days marked out of stock (in_stock 0).</param>
/// <param name="ClosedDays">SKU-days of the exported history that were closed live (the rest is seed history).</param>
public sealed record LiveExport(Dataset Dataset, int StockoutDays, int ClosedDays, bool HasCalendar, int WeatherRegions);
