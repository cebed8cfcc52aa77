using SeasonalGrains.Data.Model;
using SeasonalGrains.Forecasting.Features;

namespace SeasonalGrains.Forecasting.Tests;

public sealed class FeatureBuilderTests
{
    // Past row layout: 6 past-only features, then the known features. Known layout: dow sin/cos,
    // doy sin/cos, (flag, days to, days since) for double-11, 618, spring-festival, christmas, other,
    // then price_rel, promo, seasonal_index, seasonal_available, events.
    private const int Known = 6;
    private const int SpringFestival = 4 + (2 * 3);
    private const int Christmas = 4 + (3 * 3);
    private const int Other = 4 + (4 * 3);
    private const int PriceRel = 4 + (5 * 3);

    [Fact]
    public void Features_of_a_constant_series_are_the_values_worked_out_by_hand()
    {
        // 2024-01-01 is a Monday; day 359 is Christmas 2024, day 378 is Monday 2025-01-13 and
        // Spring Festival 2025 is on 29 January.
        var dataset = OneSku(400, d => 10, temp: d => d % 2 == 0 ? 10 : 30);
        dataset.Series[0].Price![380] = 80;
        dataset.Series[0].Promo![380] = true;
        var schema = FeatureSchema.Fit(dataset, window: 7, horizon: 7, fitEndDay: 360);
        Assert.Equal(29, schema.PastFeatureCount);
        Assert.Equal(23, schema.KnownFeatureCount);

        var window = new FeatureBuilder(schema, dataset).BuildWindow(0, origin: 378);

        Assert.Equal(10f, window.Scale);
        var lastPast = window.Past.AsSpan(6 * 29, 29); // day 377, Sunday 2025-01-12
        Assert.Equal(1f, lastPast[0]); // observed
        Assert.Equal(1f, lastPast[1]); // 10 units / scale 10
        Assert.Equal(1f, lastPast[2]); // trend of a flat series
        // Temperatures alternate 10/30 over the 360 fitted days: mean 20, sample sd 10*sqrt(360/359).
        Assert.Equal(0.99861, lastPast[3], 4);
        Assert.Equal(0f, lastPast[4]); // constant humidity: sd taken as 1, z = 0
        Assert.Equal(0f, lastPast[Known + 0], 5); // sin(0): Sunday
        Assert.Equal(1f, lastPast[Known + 1], 5);
        Assert.Equal(17f / 60, lastPast[Known + SpringFestival + 1], 5); // 17 days to 29 January
        Assert.Equal(1f, lastPast[Known + SpringFestival + 2]); // last one over 60 days ago
        Assert.Equal(0f, lastPast[Known + Christmas]);
        Assert.Equal(18f / 60, lastPast[Known + Christmas + 2], 5); // 18 days since Christmas
        Assert.Equal(1f, lastPast[Known + Other + 1]); // no other holidays at all

        var firstFuture = window.Future.AsSpan(0, 23); // day 378, Monday, day of year 13
        Assert.Equal(0.78183, firstFuture[0], 4); // sin(2 pi / 7)
        Assert.Equal(0.62349, firstFuture[1], 4);
        Assert.Equal(0.20497, firstFuture[2], 4); // sin(2 pi 12 / 365.25)
        Assert.Equal(16f / 60, firstFuture[SpringFestival + 1], 5);
        Assert.Equal(1f, firstFuture[PriceRel]); // regular price
        Assert.Equal(1f, firstFuture[PriceRel + 2]); // flat series: seasonal index 1
        Assert.Equal(1f, firstFuture[PriceRel + 3]); // a year of history exists

        var promoDay = window.Future.AsSpan(2 * 23, 23); // day 380
        Assert.Equal(0.8f, promoDay[PriceRel], 5); // 80 / median price 100
        Assert.Equal(1f, promoDay[PriceRel + 1]);
    }

    [Fact]
    public void Seasonal_index_is_the_same_week_in_earlier_years_over_the_mean_of_all_days_up_to_a_year_before()
    {
        // 2 units a day except 9 on days 100..106 (a week centred on day 103).
        var dataset = OneSku(900, d => d is >= 100 and <= 106 ? 9 : 2);
        var schema = FeatureSchema.Fit(dataset, window: 7, horizon: 7, fitEndDay: 400);
        var builder = new FeatureBuilder(schema, dataset);

        // Day 467 = 103 + 364: week mean 9 over mean(units[0..106]) = (100*2 + 7*9) / 107.
        var oneYear = builder.BuildWindow(0, origin: 467).Future.AsSpan(0, 23);
        Assert.Equal(9 / (263.0 / 107), oneYear[PriceRel + 2], 4);
        Assert.Equal(1f, oneYear[PriceRel + 3]);

        // Day 831 = 103 + 2*364: weeks of 2 and 9 units average 5.5; mean(units[0..470]) = (464*2 + 7*9) / 471.
        var twoYears = builder.BuildWindow(0, origin: 831).Future.AsSpan(0, 23);
        Assert.Equal(5.5 / (991.0 / 471), twoYears[PriceRel + 2], 4);

        // Before a full year of history there is no index.
        var early = builder.BuildWindow(0, origin: 300).Future.AsSpan(0, 23);
        Assert.Equal(1f, early[PriceRel + 2]);
        Assert.Equal(0f, early[PriceRel + 3]);
    }

    [Fact]
    public void Near_a_moving_holiday_the_seasonal_index_looks_back_to_the_same_distance_from_it()
    {
        // From 2024-01-01: Spring Festival on day 40 (2024-02-10) and day 394 (2025-01-29), 354 days later.
        // 9 units on days 33..39 (the week before it), else 2; calendar.csv lists both festivals.
        var unlisted = OneSku(760, d => d is >= 33 and <= 39 ? 9 : 2);
        var holidays = new string?[760];
        holidays[40] = holidays[394] = "spring-festival";
        var dataset = unlisted with { Calendar = new DatasetCalendar(holidays, new Dictionary<string, double[]>()) };
        var aligned = new FeatureBuilder(
            FeatureSchema.Fit(dataset, window: 7, horizon: 7, fitEndDay: 400, alignment: SeasonalAlignment.Holidays), dataset);
        var dated = new FeatureBuilder(
            FeatureSchema.Fit(dataset, window: 7, horizon: 7, fitEndDay: 400, alignment: SeasonalAlignment.Date), dataset);

        // Day 390, 4 days before the festival: 354 days back is day 36, the week 33..39 of 9 units, over the mean of
        // days 0..29 (2 units).
        var index = aligned.BuildWindow(0, origin: 390).Future[PriceRel + 2];
        Assert.Equal(4.5, index, 4);

        // By date, 364 days back is day 26: the week 23..29 of 2 units, index 1.
        Assert.Equal(1f, dated.BuildWindow(0, origin: 390).Future[PriceRel + 2]);

        // Day 360, 34 days before the festival, looks back 354 days to day 6, before day 361 has passed: the base is
        // then every day up to d - 326 (days 0..34, two of them 9 units: 84 / 35), so the index is the week 3..9
        // (2 units) over 2.4.
        var early = aligned.BuildWindow(0, origin: 360).Future.AsSpan(0, 23);
        Assert.Equal(2 / 2.4, early[PriceRel + 2], 4);
        Assert.Equal(1f, early[PriceRel + 3]);
        Assert.Equal(0f, dated.BuildWindow(0, origin: 360).Future[PriceRel + 3]); // by date: no year back yet

        // A dataset whose calendar.csv does not list the festival (its demand does not observe it) looks back by date.
        var notObserved = new FeatureBuilder(
            FeatureSchema.Fit(unlisted, window: 7, horizon: 7, fitEndDay: 400, alignment: SeasonalAlignment.Holidays), unlisted);
        Assert.Equal(1f, notObserved.BuildWindow(0, origin: 390).Future[PriceRel + 2]);

        // Far from a moving holiday (day 600, late August 2025) both look back 364 days.
        Assert.Equal(
            dated.BuildWindow(0, origin: 600).Future[PriceRel + 2],
            aligned.BuildWindow(0, origin: 600).Future[PriceRel + 2]);
    }

    [Fact]
    public void Days_before_the_data_starts_are_zero_padded_rows()
    {
        var dataset = OneSku(400, d => 10);
        var schema = FeatureSchema.Fit(dataset, window: 7, horizon: 7, fitEndDay: 360);

        var window = new FeatureBuilder(schema, dataset).BuildWindow(0, origin: 3);

        Assert.All(window.Past.AsSpan(0, 4 * 29).ToArray(), v => Assert.Equal(0f, v));
        Assert.Equal(1f, window.Past[4 * 29]); // day 0 is observed
    }

    [Fact]
    public void Units_and_weather_at_or_after_the_origin_do_not_change_the_window()
    {
        var dataset = LstmTestData.Create();
        var schema = FeatureSchema.Fit(dataset, window: 14, horizon: 7, fitEndDay: 360);
        var before = new FeatureBuilder(schema, dataset).BuildWindow(1, origin: 380);

        var changed = LstmTestData.Copy(dataset);
        for (var d = 380; d < dataset.Days; d++)
        {
            changed.Series[1].Units[d] = 1000 + d;
            changed.Weather!["south"].TempC[d] = -40;
        }

        var after = new FeatureBuilder(schema, changed).BuildWindow(1, origin: 380);
        Assert.Equal(before.Past, after.Past);
        Assert.Equal(before.Future, after.Future);

        changed.Series[1].Units[379] += 5; // the day before the origin is history
        Assert.NotEqual(before.Past, new FeatureBuilder(schema, changed).BuildWindow(1, origin: 380).Past);
    }

    [Fact]
    public void Windows_built_at_an_origin_equal_the_rows_training_reads()
    {
        var dataset = LstmTestData.Create();
        var schema = FeatureSchema.Fit(dataset, window: 14, horizon: 7, fitEndDay: 360);
        var builder = new FeatureBuilder(schema, dataset);
        var training = builder.Writer(2, dataset.Days); // what the trainer reads: every day visible
        foreach (var origin in new[] { 20, 200, 390, dataset.Days - 7 })
        {
            var window = builder.BuildWindow(2, origin);
            var row = new float[schema.PastFeatureCount];
            for (var i = 0; i < schema.Window; i++)
            {
                training.WritePastRow(origin - schema.Window + i, row);
                Assert.Equal(row, window.Past.AsSpan(i * row.Length, row.Length).ToArray());
            }

            var known = new float[schema.KnownFeatureCount];
            for (var h = 0; h < schema.Horizon; h++)
            {
                training.WriteKnownRow(origin + h, known);
                Assert.Equal(known, window.Future.AsSpan(h * known.Length, known.Length).ToArray());
            }
        }
    }

    [Fact]
    public void Calendar_holidays_and_event_columns_of_the_dataset_are_features()
    {
        var dataset = LstmTestData.Create(); // national-day on 1 October, school_break in July and August
        var schema = FeatureSchema.Fit(dataset, window: 14, horizon: 7, fitEndDay: 360);
        Assert.Equal(["school_break"], schema.EventColumns);
        Assert.Equal("event:school_break", schema.KnownFeatures[^1]);
        var width = schema.KnownFeatureCount;
        Assert.Equal(24, width);
        var builder = new FeatureBuilder(schema, dataset);

        // Forecast from 29 September 2022: horizon day 1 is 30 September, day 2 is the holiday.
        var future = builder.BuildWindow(0, dataset.IndexOf(new DateOnly(2022, 9, 29))).Future;
        Assert.Equal(0f, future[width + Other]);
        Assert.Equal(1f / 60, future[width + Other + 1], 5);
        Assert.Equal(1f, future[(2 * width) + Other]);
        Assert.Equal(0f, future[(2 * width) + width - 1]); // no school break in October

        var july = builder.BuildWindow(0, dataset.IndexOf(new DateOnly(2022, 7, 10))).Future;
        Assert.Equal(1f, july[width - 1]);
    }

    [Fact]
    public void A_schema_round_trips_through_json_and_a_feature_list_the_code_does_not_write_is_rejected()
    {
        var schema = FeatureSchema.Fit(LstmTestData.Create(), window: 14, horizon: 7, fitEndDay: 360);

        var copy = FeatureSchema.FromJson(schema.ToJson());

        Assert.Equal(schema.ToJson(), copy.ToJson());
        Assert.Equal(schema.Skus["SKU-1"], copy.Skus["SKU-1"]);
        var tampered = schema.ToJson().Replace("\"promo\"", "\"promotion\"", StringComparison.Ordinal);
        var error = Assert.Throws<InvalidDataException>(() => FeatureSchema.FromJson(tampered));
        Assert.Contains("promotion", error.Message);
    }

    [Fact]
    public void Unclean_units_before_the_origin_are_rejected_with_the_sku_and_date()
    {
        var dataset = OneSku(400, d => 10);
        var schema = FeatureSchema.Fit(dataset, window: 7, horizon: 7, fitEndDay: 360);
        dataset.Series[0].Units[370] = double.NaN;

        var error = Assert.Throws<ArgumentException>(() => new FeatureBuilder(schema, dataset).BuildWindow(0, 378));

        Assert.Contains("'A'", error.Message);
        Assert.Contains("2025-01-05", error.Message);
    }

    [Fact]
    public void Level_scaling_follows_the_mean_of_the_28_days_before_each_origin()
    {
        // 10 units a day, 20 from day 200 on; fitted on days 0..149, so the SKU's unit scale is 10
        var dataset = OneSku(400, d => d < 200 ? 10 : 20);
        var sku = new FeatureBuilder(FeatureSchema.Fit(dataset, window: 7, horizon: 7, fitEndDay: 150), dataset);
        var schema = FeatureSchema.Fit(dataset, window: 7, horizon: 7, fitEndDay: 150, UnitScaling.Level);
        var level = new FeatureBuilder(schema, dataset);
        Assert.Equal(28, schema.LevelWindow);
        Assert.Equal(30, schema.PastFeatureCount); // log_level_ratio after the six past-only features

        Assert.Equal(10f, sku.BuildWindow(0, origin: 214).Scale);
        Assert.Equal(10f, level.BuildWindow(0, origin: 5).Scale); // days 0..4 only
        Assert.Equal(10f, level.BuildWindow(0, origin: 200).Scale); // days 172..199
        Assert.Equal(15f, level.BuildWindow(0, origin: 214).Scale); // days 186..213: 14 x 10 and 14 x 20
        Assert.Equal(20f, level.BuildWindow(0, origin: 228).Scale); // days 200..227

        // the units of day d are divided by the level after day d, L(d + 1)
        var window = level.BuildWindow(0, origin: 214);
        var first = window.Past.AsSpan(0, 30); // day 207: L(208) = (20 x 10 + 8 x 20) / 28
        Assert.Equal(20 / (360.0 / 28), first[1], 5);
        Assert.Equal(Math.Log(360.0 / 28 / 10), first[6], 5);
        var last = window.Past.AsSpan(6 * 30, 30); // day 213: L(214) = 15, the scale of the outputs
        Assert.Equal(20 / 15.0, last[1], 5);
        Assert.Equal(Math.Log(1.5), last[6], 5);
    }

    [Fact]
    public void The_level_is_floored_at_half_the_unit_scale_and_at_one_unit()
    {
        // 10 units a day, none on days 100..199, 20 from day 200 on; fitted on days 0..99: unit scale 10, floor 5
        var dataset = OneSku(400, d => d < 100 ? 10 : d < 200 ? 0 : 20);
        var level = new FeatureBuilder(FeatureSchema.Fit(dataset, window: 7, horizon: 7, fitEndDay: 100, UnitScaling.Level), dataset);

        Assert.Equal(7.5f, level.BuildWindow(0, origin: 107).Scale); // days 79..106: 21 x 10 and 7 x 0
        Assert.Equal(5f, level.BuildWindow(0, origin: 120).Scale); // 8 x 10 / 28 = 2.86, floored at 5
        Assert.Equal(5f, level.BuildWindow(0, origin: 150).Scale); // no units at all
        Assert.Equal(10f, level.BuildWindow(0, origin: 214).Scale); // days 186..213: 14 x 0 and 14 x 20
        var zeros = level.BuildWindow(0, origin: 150).Past.AsSpan(6 * 30, 30);
        Assert.Equal(0f, zeros[1]);
        Assert.Equal(Math.Log(0.5), zeros[6], 5);

        // 2 units every fifth day: mean 0.4, unit scale 1 (the minimum), so the level's floor is 1 unit
        var slow = OneSku(400, d => d % 5 == 0 ? 2 : 0);
        var slowLevel = new FeatureBuilder(FeatureSchema.Fit(slow, window: 7, horizon: 7, fitEndDay: 100, UnitScaling.Level), slow);
        Assert.Equal(1f, slowLevel.BuildWindow(0, origin: 300).Scale);
    }

    [Fact]
    public void A_schema_saved_without_scaling_is_sku_scaled_and_a_level_schema_round_trips()
    {
        var dataset = OneSku(400, d => 10);
        var sku = FeatureSchema.Fit(dataset, window: 7, horizon: 7, fitEndDay: 360);
        var json = System.Text.Json.Nodes.JsonNode.Parse(sku.ToJson())!.AsObject();
        Assert.Equal("sku", (string?)json["scaling"]);
        json.Remove("scaling");
        json.Remove("levelWindow");
        json.Remove("levelFloor");
        Assert.Equal(UnitScaling.Sku, FeatureSchema.FromJson(json.ToJsonString()).Scaling);

        var level = FeatureSchema.Fit(dataset, window: 7, horizon: 7, fitEndDay: 360, UnitScaling.Level);
        var loaded = FeatureSchema.FromJson(level.ToJson());
        Assert.Equal(UnitScaling.Level, loaded.Scaling);
        Assert.Equal([.. FeatureSchema.PastOnlyFeatureNames, "log_level_ratio"], loaded.PastOnlyFeatures);

        // a level schema read as sku would build rows of another width: refused
        var mislabelled = level.ToJson().Replace("\"scaling\": \"level\"", "\"scaling\": \"sku\"", StringComparison.Ordinal);
        Assert.Contains("log_level_ratio", Assert.Throws<InvalidDataException>(() => FeatureSchema.FromJson(mislabelled)).Message);
        Assert.Throws<System.Text.Json.JsonException>(() => FeatureSchema.FromJson(level.ToJson().Replace("\"level\"", "\"weekly\"", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_schema_saved_without_seasonal_alignment_is_dated_and_a_holiday_schema_round_trips()
    {
        var dataset = OneSku(400, d => 10);
        var holidays = FeatureSchema.Fit(dataset, window: 7, horizon: 7, fitEndDay: 360, alignment: SeasonalAlignment.Holidays);
        var json = System.Text.Json.Nodes.JsonNode.Parse(holidays.ToJson())!.AsObject();
        Assert.Equal("holidays", (string?)json["seasonalAlignment"]);
        Assert.Equal(SeasonalAlignment.Holidays, FeatureSchema.FromJson(holidays.ToJson()).SeasonalAlignment);

        json.Remove("seasonalAlignment");
        Assert.Equal(SeasonalAlignment.Date, FeatureSchema.FromJson(json.ToJsonString()).SeasonalAlignment);
        Assert.Throws<System.Text.Json.JsonException>(
            () => FeatureSchema.FromJson(holidays.ToJson().Replace("\"holidays\"", "\"lunar\"", StringComparison.Ordinal)));
    }

    [Fact]
    public void Integer_quantiles_are_saved_in_the_schema_and_refused_for_a_fractional_unit()
    {
        var counts = OneSku(400, d => d % 3);
        var schema = FeatureSchema.Fit(counts, window: 7, horizon: 7, fitEndDay: 360, integerQuantiles: true);
        Assert.True(schema.IntegerQuantiles);
        Assert.True(FeatureSchema.FromJson(schema.ToJson()).IntegerQuantiles);
        Assert.False(FeatureSchema.Fit(counts, window: 7, horizon: 7, fitEndDay: 360).IntegerQuantiles);

        var weighed = OneSku(400, d => d == 100 ? 2.5 : 2);
        var error = Assert.Throws<ArgumentException>(
            () => FeatureSchema.Fit(weighed, window: 7, horizon: 7, fitEndDay: 360, integerQuantiles: true));
        Assert.Contains("SKU A sold 2.5 on 2024-04-10", error.Message);

        // a fraction after the fitted days is not read
        Assert.True(FeatureSchema.Fit(weighed, window: 7, horizon: 7, fitEndDay: 100, integerQuantiles: true).IntegerQuantiles);
    }

    [Fact]
    public void Datasets_with_the_same_calendar_share_one_calendar_table_and_another_calendar_gets_its_own()
    {
        // two one-SKU datasets over the same days with other sales (as a live host lays out each SKU's window)
        var first = OneSku(400, d => 10);
        var second = OneSku(400, d => d % 3);
        var schema = FeatureSchema.Fit(first, window: 7, horizon: 7, fitEndDay: 360);
        Assert.Same(CalendarTable.For(schema, first), CalendarTable.For(schema, second));

        // a shop holiday on day 200 (2024-07-19): another table, whose "other holidays" flag is 1 that day only
        var holidays = new string?[400];
        holidays[200] = "summer-sale";
        var withHoliday = second with { Calendar = new DatasetCalendar(holidays, new Dictionary<string, double[]>()) };
        var shared = CalendarTable.For(schema, first);
        var own = CalendarTable.For(schema, withHoliday);
        Assert.NotSame(shared, own);
        Assert.Equal(1f, own.Leading(200)[Other]);
        Assert.Equal(0f, own.Leading(199)[Other]);
        Assert.Equal(1f / 60, own.Leading(199)[Other + 1], 5); // one day to it
        Assert.Equal(0f, shared.Leading(200)[Other]);

        // a table found again holds what a new one holds, day by day
        var fresh = new CalendarTable(schema, withHoliday);
        Assert.Same(own, CalendarTable.For(schema, withHoliday with { }));
        for (var d = 0; d < fresh.Days; d++)
        {
            Assert.Equal(fresh.Leading(d).ToArray(), own.Leading(d).ToArray());
        }
    }

    private static Dataset OneSku(int days, Func<int, double> units, Func<int, double>? temp = null)
    {
        var start = new DateOnly(2024, 1, 1);
        var series = new SkuSeries(
            "A",
            [.. Enumerable.Range(0, days).Select(units)],
            [.. Enumerable.Repeat(100.0, days)],
            new bool[days]);
        var weather = new RegionWeather(
            "north",
            [.. Enumerable.Range(0, days).Select(d => temp?.Invoke(d) ?? 15)],
            [.. Enumerable.Repeat(50.0, days)],
            new double[days]);
        return new Dataset(
            new DatasetInfo("one", "test", "CC0", start, start.AddDays(days - 1)),
            start,
            days,
            [new SkuInfo("A", "coats", "north", 50, 100, 7, 0)],
            [series],
            null,
            new Dictionary<string, RegionWeather> { ["north"] = weather });
    }
}
