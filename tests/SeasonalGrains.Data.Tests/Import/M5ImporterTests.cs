using SeasonalGrains.Data.Import;
using SeasonalGrains.Data.Io;

namespace SeasonalGrains.Data.Tests.Import;

public class M5ImporterTests
{
    private static readonly string Folder = RepoPaths.Fixture("m5");

    [Fact]
    public void Wide_sales_become_daily_series_named_item_store()
    {
        var ds = M5Importer.Import(Folder);
        Assert.Equal(
            new[] { "HOBBIES_1_001_CA_1", "HOBBIES_1_002_CA_1", "FOODS_3_090_CA_1", "HOBBIES_1_001_TX_1", "HOBBIES_1_002_TX_1", "FOODS_3_090_TX_1" },
            ds.Skus.Select(s => s.Sku));
        Assert.Equal(new DateOnly(2011, 1, 29), ds.Start);
        Assert.Equal(10, ds.Days);
        Assert.Equal(new double[] { 10, 12, 9, 11, 14, 20, 18, 25, 30, 16 }, ds.Series[2].Units);
        Assert.Equal(("FOODS_3", "CA"), (ds.Skus[2].Category, ds.Skus[2].Region));
    }

    [Fact]
    public void M5_has_no_stock_information_and_the_notes_say_so()
    {
        var ds = M5Importer.Import(Folder);
        Assert.False(ds.HasStockInformation);
        Assert.Contains("Stock: none known", ds.Info.Notes, StringComparison.Ordinal);
    }

    [Fact]
    public void The_daily_price_is_the_weeks_sell_price_and_missing_before_the_first()
    {
        var ds = M5Importer.Import(Folder);
        // Week 11101 covers d_1..d_7, week 11102 d_8..d_10.
        Assert.Equal(new[] { 9.58, 9.58, 9.58, 9.58, 9.58, 9.58, 9.58, 8.26, 8.26, 8.26 }, ds.Series[0].Price!);
        var late = ds.Series[5].Price!;
        Assert.All(late.Take(7), p => Assert.True(double.IsNaN(p)));
        Assert.Equal(new[] { 1.38, 1.38, 1.38 }, late.Skip(7));
        // Median of seven days at 9.58 and three at 8.26 is 9.58; cost 0.6 x 9.58 = 5.75 (rounded).
        Assert.Equal(9.58, ds.Skus[0].UnitPrice);
        Assert.Equal(5.75, ds.Skus[0].UnitCost);
    }

    [Fact]
    public void Events_become_holidays_and_snap_days_event_columns()
    {
        var calendar = M5Importer.Import(Folder).Calendar!;
        Assert.Equal("SuperBowl", calendar.Holiday[8]);
        Assert.Equal("ValentinesDay|PresidentsDay", calendar.Holiday[9]);
        Assert.Null(calendar.Holiday[0]);
        Assert.Equal(new double[] { 0, 0, 0, 1, 1, 1, 1, 1, 1, 1 }, calendar.Events["snap_CA"]);
        Assert.Equal(new double[] { 0, 0, 0, 0, 0, 0, 0, 0, 1, 0 }, calendar.Events["event_sporting"]);
        Assert.Equal(new double[] { 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 }, calendar.Events["event_national"]);
    }

    [Fact]
    public void Store_and_item_filters_select_skus()
    {
        var ds = M5Importer.Import(Folder, new M5ImportOptions { Stores = ["TX_1"], Items = ["FOODS_3_090", "HOBBIES_1_002"] });
        Assert.Equal(new[] { "HOBBIES_1_002_TX_1", "FOODS_3_090_TX_1" }, ds.Skus.Select(s => s.Sku));
    }

    [Fact]
    public void Max_items_keeps_the_first_items_in_every_store()
    {
        var ds = M5Importer.Import(Folder, new M5ImportOptions { MaxItems = 2, CategoryLevel = M5CategoryLevel.Category, SkuNaming = M5SkuNaming.Id });
        Assert.Equal(
            new[] { "HOBBIES_1_001_CA_1_validation", "HOBBIES_1_002_CA_1_validation", "HOBBIES_1_001_TX_1_validation", "HOBBIES_1_002_TX_1_validation" },
            ds.Skus.Select(s => s.Sku));
        Assert.Equal("HOBBIES", ds.Skus[0].Category);
    }

    [Fact]
    public void Units_before_the_first_price_can_be_marked_missing()
    {
        var ds = M5Importer.Import(Folder, new M5ImportOptions { UnitsBeforeFirstPriceMissing = true });
        var units = ds.Series[5].Units;
        Assert.All(units.Take(7), u => Assert.True(double.IsNaN(u)));
        Assert.Equal(new double[] { 5, 7, 6 }, units.Skip(7));
    }

    [Fact]
    public void The_import_writes_a_valid_dataset_folder()
    {
        using var temp = new TempFolder();
        var ds = M5Importer.Import(Folder);
        DatasetWriter.Write(ds, temp.Path);
        var back = DatasetReader.Read(temp.Path);
        Assert.Equal(ds.Series[2].Units, back.Series[2].Units);
        Assert.Equal(ds.Calendar!.Holiday, back.Calendar!.Holiday);
    }

    [Fact]
    public void Missing_m5_files_are_named()
    {
        using var temp = new TempFolder();
        File.Copy(Path.Combine(Folder, "calendar.csv"), temp.File("calendar.csv"));
        var ex = Assert.Throws<DatasetValidationException>(() => M5Importer.Import(temp.Path));
        Assert.Equal(
            new[] { "sales_train_validation.csv: file is missing", "sell_prices.csv: file is missing" },
            ex.Errors.Select(e => e.ToString()));
    }
}
