using SeasonalGrains.Data.Io;
using SeasonalGrains.Data.Model;

namespace SeasonalGrains.Data.Tests.Io;

public class DatasetReaderTests
{
    [Fact]
    public void A_valid_folder_reads_with_missing_days_as_NaN()
    {
        using var folder = TinyDataset.Create();
        var ds = DatasetReader.Read(folder.Path);

        Assert.Equal(new DateOnly(2024, 1, 1), ds.Start);
        Assert.Equal(5, ds.Days);
        Assert.Equal("tiny", ds.Info.Name);
        Assert.Equal(new SkuInfo("A", "coats", "north", 40, 99.5, 7, 20, 10, 5, 12), ds.Skus[0]);
        Assert.Equal(new SkuInfo("B, the scarf", "scarves", "south", 2, 5, 3, 10, 0, 1, 0), ds.Skus[1]);

        Assert.Equal(new[] { 3, 5, double.NaN, 4, 0 }, ds.Series[0].Units);
        Assert.Equal(new[] { 99.5, 79.6, double.NaN, 99.5, 99.5 }, ds.Series[0].Price!);
        Assert.Equal(new[] { false, true, false, false, false }, ds.Series[0].Promo!);
        // An empty units field is missing, like an absent day.
        Assert.Equal(new[] { 0, 2.5, double.NaN, double.NaN, double.NaN }, ds.Series[1].Units);
        Assert.Equal(new[] { 5, double.NaN, 5, double.NaN, double.NaN }, ds.Series[1].Price!);

        Assert.Equal(new string?[] { "new-year", null, null, null, null }, ds.Calendar!.Holiday);
        Assert.Equal(new double[] { 0, 1, 1, 1, 1 }, ds.Calendar.Events["workingday"]);
        Assert.Equal(new[] { -3.5, -5, double.NaN, double.NaN, double.NaN }, ds.Weather!["north"].TempC);
        Assert.Equal(new[] { 40, double.NaN, double.NaN, double.NaN, double.NaN }, ds.Weather["north"].Humidity);
        Assert.Equal(4.2, ds.Weather["south"].PrecipMm[0]);
    }

    [Fact]
    public void In_stock_0_or_on_hand_0_marks_a_censored_day_and_an_empty_field_or_no_column_says_in_stock()
    {
        using var folder = TinyDataset.Create();
        Assert.Null(DatasetReader.Read(folder.Path).Series[0].Censored);

        folder.Write(DatasetFiles.Demand, "sku,date,units,in_stock\nA,2024-01-01,3,1\nA,2024-01-02,2,0\nA,2024-01-03,4,\nB, the scarf,2024-01-01,0,0\n".Replace("B, the scarf", "\"B, the scarf\"", StringComparison.Ordinal));
        var ds = DatasetReader.Read(folder.Path);
        Assert.Equal(new[] { false, true, false, false, false }, ds.Series[0].Censored!);
        Assert.Equal(new[] { true, false, false, false, false }, ds.Series[1].Censored!);
        Assert.Equal(2, ds.CensoredSkuDays(0, 5));

        // on_hand: units left at the end of the day; 0 is a stockout
        folder.Write(DatasetFiles.Demand, "sku,date,units,on_hand\nA,2024-01-01,3,7\nA,2024-01-02,2,0\nA,2024-01-03,4,0.5\n");
        Assert.Equal(new[] { false, true, false, false, false }, DatasetReader.Read(folder.Path).Series[0].Censored!);
    }

    [Fact]
    public void Calendar_and_weather_are_optional()
    {
        using var folder = TinyDataset.Create();
        File.Delete(folder.File(DatasetFiles.Calendar));
        File.Delete(folder.File(DatasetFiles.Weather));
        var ds = DatasetReader.Read(folder.Path);
        Assert.Null(ds.Calendar);
        Assert.Null(ds.Weather);
    }

    public static TheoryData<string, string?, string> BrokenFiles => new()
    {
        { DatasetFiles.Demand, "sku,date,units\nA,2024-01-01,3\nA,2024-01-02,abc\n", "demand.csv:3:units: 'abc' is not a number" },
        { DatasetFiles.Demand, "sku,date,units\nA,2024-01-01,-3\n", "demand.csv:2:units: -3 is negative" },
        { DatasetFiles.Demand, "sku,date,units\nA,2024-01-01,NaN\n", "demand.csv:2:units: 'NaN' is not a finite number" },
        { DatasetFiles.Demand, "sku,date,units,price\nA,2024-01-01,1,Infinity\n", "demand.csv:2:price: 'Infinity' is not a finite number" },
        { DatasetFiles.Demand, "sku,date,units\nA,2024-01-01,3\nA,2024-01-02,1e160\n", "demand.csv:3:units: 1e160 is out of range: must be 0 or a number of units from 0.000001 to 1000000000 (got 1E+160)" },
        { DatasetFiles.Demand, "sku,date,units\nA,2024-01-01,1.7e308\n", "demand.csv:2:units: 1.7e308 is out of range: must be 0 or a number of units from 0.000001 to 1000000000" },
        { DatasetFiles.Demand, "sku,date,units\nA,2024-01-01,5e-324\n", "demand.csv:2:units: 5e-324 is out of range: must be 0 or a number of units from 0.000001 to 1000000000" },
        { DatasetFiles.Demand, "sku,date,units,price\nA,2024-01-01,1,1e308\n", "demand.csv:2:price: 1e308 is out of range: must be a finite amount from 0 to 1000000000" },
        { DatasetFiles.Skus, "sku,category,region,unit_cost,unit_price,lead_time_days,initial_on_hand\nA,c,north,1e308,2,3,4\n", "skus.csv:2:unit_cost: 1e308 is out of range: must be a finite amount from 0 to 1000000000" },
        { DatasetFiles.Skus, "sku,category,region,unit_cost,unit_price,lead_time_days,initial_on_hand\nA,c,north,1,2,3,1e10\n", "skus.csv:2:initial_on_hand: 1e10 is out of range: must be 0 or a number of units from 0.000001 to 1000000000" },
        { DatasetFiles.Demand, "sku,date,units\nA,2024-02-30,1\n", "demand.csv:2:date: '2024-02-30' is not a date (expected yyyy-MM-dd)" },
        { DatasetFiles.Demand, "sku,date,units\nA,2024-01-01,1\nA,2024-01-01,2\n", "demand.csv:3:date: duplicate row for sku 'A' on 2024-01-01 (first at line 2)" },
        { DatasetFiles.Demand, "sku,date,units\nZ,2024-01-01,1\nA,2024-01-01,1\nZ,2024-01-02,1\n", "demand.csv:2:sku: sku 'Z' is not in skus.csv (2 rows)" },
        { DatasetFiles.Demand, "sku,date,units\nA,2024-01-06,1\n", "demand.csv:2:date: date 2024-01-06 is outside the dataset range 2024-01-01..2024-01-05 in dataset.json" },
        { DatasetFiles.Demand, "sku,date,price\nA,2024-01-01,1\n", "demand.csv:1:units: missing required column 'units'" },
        { DatasetFiles.Demand, "sku,date,units,colour\nA,2024-01-01,1,red\n", "demand.csv:1:colour: unknown column 'colour' (expected sku,date,units,price,promo,in_stock,on_hand)" },
        { DatasetFiles.Demand, "sku,date,units,in_stock\nA,2024-01-01,1,2\n", "demand.csv:2:in_stock: '2' is not 0/1 (0: out of stock that day)" },
        { DatasetFiles.Demand, "sku,date,units,on_hand\nA,2024-01-01,1,-4\n", "demand.csv:2:on_hand: -4 is negative" },
        { DatasetFiles.Demand, "sku,date,units,on_hand\nA,2024-01-01,1,lots\n", "demand.csv:2:on_hand: 'lots' is not a number" },
        { DatasetFiles.Demand, "sku,date,units,in_stock,on_hand\nA,2024-01-01,1,1,3\n", "demand.csv:1:on_hand: give in_stock or on_hand, not both" },
        { DatasetFiles.Demand, "sku,date,units,promo\nA,2024-01-01,1,yes\n", "demand.csv:2:promo: 'yes' is not 0/1" },
        { DatasetFiles.Demand, "sku,date,units\nA,2024-01-01,1\nA,2024-01-02\n", "demand.csv:3: expected 3 fields, found 2" },
        { DatasetFiles.Demand, "sku,date,units\n\"A,2024-01-01,1\n", "demand.csv:2: unterminated quoted field" },
        { DatasetFiles.Demand, null, "demand.csv: file is missing (sku,date,units[,price][,promo][,in_stock|on_hand])" },
        { DatasetFiles.Skus, "sku,category,region,unit_cost,unit_price,lead_time_days,initial_on_hand\nA,c,north,1,2,3,4\nA,c,north,1,2,3,4\n", "skus.csv:3:sku: duplicate sku 'A' (first at line 2)" },
        { DatasetFiles.Skus, "sku,category,region,unit_cost,unit_price,lead_time_days,initial_on_hand\nA,c,north,1,2,7.5,4\n", "skus.csv:2:lead_time_days: '7.5' is not a whole number of days" },
        { DatasetFiles.Skus, "sku,category,region,unit_cost,unit_price,lead_time_days\nA,c,north,1,2,7\n", "skus.csv:1:initial_on_hand: missing required column 'initial_on_hand'" },
        { DatasetFiles.Skus, "sku,category,region,unit_cost,unit_price,lead_time_days,initial_on_hand\n", "skus.csv: no SKUs (the file has only a header)" },
        { DatasetFiles.Skus, "sku,category,region,unit_cost,unit_price,lead_time_days,initial_on_hand\nA,c,north,1,2,3,4,5\n", "skus.csv:2: expected 7 fields, found 8" },
        { DatasetFiles.Calendar, "date,holiday\n2024-01-01,\n2024-01-02,\n", "calendar.csv:date: dates 2024-01-03..2024-01-05 are missing (3 days); the calendar must list every day of the dataset range" },
        { DatasetFiles.Calendar, "date,holiday\n2024-01-01,\n2024-01-02,\n2024-01-03,\n2024-01-04,\n2024-01-05,\n2024-01-06,x\n", "calendar.csv:7:date: date 2024-01-06 is outside the dataset range 2024-01-01..2024-01-05 in dataset.json" },
        { DatasetFiles.Calendar, "date,holiday,workingday\n2024-01-01,,1\n2024-01-02,,one\n2024-01-03,,1\n2024-01-04,,1\n2024-01-05,,1\n", "calendar.csv:3:workingday: 'one' is not a number" },
        { DatasetFiles.Weather, "date,region,temp_c,humidity,precip_mm\n2024-01-01,east,1,50,0\n", "weather.csv:2:region: region 'east' is not the region of any sku in skus.csv (1 row)" },
        { DatasetFiles.Weather, "date,region,temp_c,humidity,precip_mm\n2024-01-01,north,1,120,0\n", "weather.csv:2:humidity: 120 is above 100" },
        { DatasetFiles.Weather, "date,region,temp_c,humidity,precip_mm\n2024-01-01,north,1,50,-2\n", "weather.csv:2:precip_mm: -2 is negative" },
        { DatasetFiles.Info, null, "dataset.json: file is missing (name, source, licence, start, end)" },
        { DatasetFiles.Info, """{"name":"x","start":"2024-13-01","end":"2024-01-05"}""", "dataset.json:start: '2024-13-01' is not a date (expected yyyy-MM-dd)" },
        { DatasetFiles.Info, """{"name":"x","license":"MIT","start":"2024-01-01","end":"2024-01-05"}""", "dataset.json:license: unknown property 'license' (the property is spelt 'licence'); expected name, source, licence, start, end, notes" },
        { DatasetFiles.Info, """{"name":"x","start":"2024-01-05","end":"2024-01-01"}""", "dataset.json:end: end 2024-01-01 is before start 2024-01-05" },
        { DatasetFiles.Info, "{\"name\": \"x\",\n \"start\": }", "dataset.json:2: invalid JSON" },
    };

    [Theory]
    [MemberData(nameof(BrokenFiles))]
    public void A_broken_file_gives_an_error_naming_file_line_and_column(string file, string? content, string expected)
    {
        using var folder = TinyDataset.Create();
        if (content is null)
        {
            File.Delete(folder.File(file));
        }
        else
        {
            folder.Write(file, content);
        }

        var ex = Assert.Throws<DatasetValidationException>(() => DatasetReader.Read(folder.Path));
        var messages = ex.Errors.Select(e => e.ToString()).ToList();
        Assert.True(messages.Any(m => m.StartsWith(expected, StringComparison.Ordinal)), $"expected '{expected}' among:\n{string.Join("\n", messages)}");
    }

    [Fact]
    public void All_errors_are_collected_not_just_the_first()
    {
        using var folder = TinyDataset.Create();
        folder.Write(DatasetFiles.Demand, "sku,date,units\nA,2024-01-01,abc\nA,2024-01-99,1\nQ,2024-01-02,-1\n");
        folder.Write(DatasetFiles.Weather, "date,region,temp_c,humidity,precip_mm\n2024-01-01,north,NaN,50,0\n");

        var ex = Assert.Throws<DatasetValidationException>(() => DatasetReader.Read(folder.Path));

        Assert.Equal(
            new[]
            {
                "demand.csv:2:units: 'abc' is not a number",
                "demand.csv:3:date: '2024-01-99' is not a date (expected yyyy-MM-dd)",
                "demand.csv:4:units: -1 is negative",
                "demand.csv:4:sku: sku 'Q' is not in skus.csv (1 row)",
                "weather.csv:2:temp_c: 'NaN' is not a finite number",
            },
            ex.Errors.Select(e => e.ToString()));
        Assert.Equal(new DatasetError("demand.csv", 2, "units", "'abc' is not a number"), ex.Errors[0]);
    }

    [Fact]
    public void The_error_list_is_capped_and_says_how_many_were_left_out()
    {
        using var folder = TinyDataset.Create();
        folder.Write(DatasetFiles.Demand, "sku,date,units\nA,2024-01-01,a\nA,2024-01-02,b\nA,2024-01-03,c\nA,2024-01-04,d\nA,2024-01-05,e\n");
        var ex = Assert.Throws<DatasetValidationException>(() => DatasetReader.Read(folder.Path, new DatasetReadOptions { MaxErrors = 2 }));
        Assert.Equal(3, ex.Errors.Count);
        Assert.Equal("(dataset): 3 more error(s) not listed (limit 2)", ex.Errors[2].ToString());
    }

    [Fact]
    public void Reading_a_broken_folder_writes_nothing()
    {
        using var folder = TinyDataset.Create();
        folder.Write(DatasetFiles.Demand, "sku,date,units\nA,2024-01-01,x\n");
        var files = Directory.GetFiles(folder.Path).Select(f => (f, File.GetLastWriteTimeUtc(f))).ToList();

        Assert.Throws<DatasetValidationException>(() => DatasetReader.Read(folder.Path));

        Assert.Equal(files, Directory.GetFiles(folder.Path).Select(f => (f, File.GetLastWriteTimeUtc(f))).ToList());
    }
}
