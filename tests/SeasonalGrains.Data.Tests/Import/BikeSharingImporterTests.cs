using SeasonalGrains.Data.Import;
using SeasonalGrains.Data.Io;

namespace SeasonalGrains.Data.Tests.Import;

public class BikeSharingImporterTests
{
    private static readonly string Fixture = RepoPaths.Fixture("bike-sharing/day.csv");

    [Fact]
    public void Counts_become_units_of_one_sku()
    {
        var ds = BikeSharingImporter.Import(Fixture);
        var sku = Assert.Single(ds.Skus);
        Assert.Equal(("bikes", "washington-dc"), (sku.Sku, sku.Region));
        Assert.Equal(new DateOnly(2011, 1, 1), ds.Start);
        Assert.Equal(new double[] { 985, 801, 1349 }, ds.Series[0].Units);
        Assert.Equal("CC BY 4.0", ds.Info.Licence);
        Assert.Contains("Fanaee-T", ds.Info.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void Rentals_carry_no_stock_information_and_the_notes_say_so()
    {
        var ds = BikeSharingImporter.Import(Fixture);
        Assert.False(ds.HasStockInformation);
        Assert.Contains("Stock: none known", ds.Info.Notes, StringComparison.Ordinal);
    }

    [Fact]
    public void Temperature_is_rescaled_from_minus_8_to_39_degrees()
    {
        var w = BikeSharingImporter.Import(Fixture).Weather!["washington-dc"];
        // 0.5 * 47 - 8 = 15.5; 0 -> -8; 1 -> 39.
        Assert.Equal(new[] { 15.5, -8, 39 }, w.TempC);
        Assert.Equal(new[] { 80.58, 50, 43.73 }, w.Humidity);
        // weathersit 2, 3, 1 -> proxy 0, 5, 0 mm.
        Assert.Equal(new double[] { 0, 5, 0 }, w.PrecipMm);
    }

    [Fact]
    public void Holidays_and_working_days_go_to_the_calendar()
    {
        var calendar = BikeSharingImporter.Import(Fixture).Calendar!;
        Assert.Equal(new string?[] { null, "holiday", null }, calendar.Holiday);
        Assert.Equal(new double[] { 0, 0, 1 }, calendar.Events["workingday"]);
    }

    [Fact]
    public void A_file_without_cnt_is_rejected_with_the_column_named()
    {
        using var temp = new TempFolder();
        temp.Write("day.csv", "dteday,holiday,workingday,weathersit,temp,hum\n2011-01-01,0,0,1,0.5,0.5\n");
        var ex = Assert.Throws<DatasetValidationException>(() => BikeSharingImporter.Import(temp.File("day.csv")));
        Assert.Equal("day.csv:1:cnt: missing required column 'cnt'", ex.Errors.Single().ToString());
    }

    [Fact]
    public void The_shipped_dataset_is_valid_and_holds_the_uci_daily_counts()
    {
        var ds = DatasetReader.Read(Path.Combine(RepoPaths.Root, "simulations", "bike-sharing", "data"));
        Assert.Equal(new DateOnly(2011, 1, 1), ds.Start);
        Assert.Equal(new DateOnly(2012, 12, 31), ds.End);
        // day.csv: cnt of 2011-01-01 is 985; the cnt column sums to 3,292,679 over the 731 days.
        Assert.Equal(985, ds.Series[0].Units[0]);
        Assert.Equal(3_292_679, ds.Series[0].Units.Sum());
        Assert.Equal("CC BY 4.0", ds.Info.Licence);
        Assert.True(File.Exists(Path.Combine(RepoPaths.Root, "simulations", "bike-sharing", "data", "ATTRIBUTION.md")));
    }
}
