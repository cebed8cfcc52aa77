using SeasonalGrains.Data.Cleaning;
using SeasonalGrains.Data.Model;

namespace SeasonalGrains.Data.Tests.Cleaning;

public class DatasetCleanerTests
{
    private static readonly DateOnly Start = new(2024, 3, 1);

    private static Dataset OneSku(params double[] units) => new(
        new DatasetInfo("t", "test", "CC0-1.0", Start, Start.AddDays(units.Length - 1)),
        Start,
        units.Length,
        [new SkuInfo("A", "c", "r", 1, 2, 1, 0)],
        [new SkuSeries("A", units)]);

    [Fact]
    public void Missing_days_are_interpolated_linearly_and_edges_take_the_nearest_value()
    {
        var (cleaned, report) = DatasetCleaner.Clean(OneSku(double.NaN, 2, double.NaN, double.NaN, 8, double.NaN));

        Assert.Equal(new double[] { 2, 2, 4, 6, 8, 8 }, cleaned.Series[0].Units);
        Assert.Equal(4, report.Count(CleaningChangeKind.Interpolated));
        Assert.Equal(new CleaningChange("A", Start.AddDays(2), CleaningChangeKind.Interpolated, double.NaN, 4), report.Changes[1]);
    }

    [Fact]
    public void Missing_days_become_zero_in_zero_mode()
    {
        var (cleaned, report) = DatasetCleaner.Clean(OneSku(1, double.NaN, 3), new CleaningOptions { Missing = MissingValueMode.Zero });
        Assert.Equal(new double[] { 1, 0, 3 }, cleaned.Series[0].Units);
        Assert.Equal(CleaningChangeKind.ZeroFilled, Assert.Single(report.Changes).Kind);
    }

    [Fact]
    public void The_input_dataset_is_not_modified()
    {
        var input = OneSku(1, double.NaN, 3);
        DatasetCleaner.Clean(input);
        Assert.True(double.IsNaN(input.Series[0].Units[1]));
    }

    [Fact]
    public void Outliers_are_left_alone_by_default()
    {
        var (cleaned, report) = DatasetCleaner.Clean(OneSku(1, 2, 3, 4, 100));
        Assert.Equal(100, cleaned.Series[0].Units[4]);
        Assert.Empty(report.Changes);
    }

    [Fact]
    public void Clip_uses_the_iqr_fences_computed_by_hand()
    {
        // Sorted 0,0,0,1,2,3,5,30 (n = 8): Q1 at h = 7 * 0.25 = 1.75 -> 0; Q3 at h = 5.25 -> 3 + 0.25 * (5 - 3) = 3.5.
        // IQR = 3.5; fences 0 - 5.25 = -5.25 and 3.5 + 5.25 = 8.75.
        var (cleaned, report) = DatasetCleaner.Clean(
            OneSku(0, 30, 1, double.NaN, 0, 2, 3, 0, 5),
            new CleaningOptions { Outliers = OutlierMode.Clip });

        var bounds = Assert.Single(report.Bounds);
        Assert.Equal(new OutlierBounds("A", 0, 3.5, -5.25, 8.75), bounds);
        Assert.Equal(8.75, cleaned.Series[0].Units[1]);
        // The missing day is filled after clipping, from its neighbours 1 and 0.
        Assert.Equal(0.5, cleaned.Series[0].Units[3]);
        Assert.Equal(
            new[] { new CleaningChange("A", Start.AddDays(1), CleaningChangeKind.Clipped, 30, 8.75), new CleaningChange("A", Start.AddDays(3), CleaningChangeKind.Interpolated, double.NaN, 0.5) },
            report.Changes);
    }

    [Fact]
    public void Flag_reports_outliers_without_changing_them()
    {
        // Sorted 1,2,3,4,100: Q1 = 2, Q3 = 4, IQR = 2, upper fence 4 + 3 = 7.
        var (cleaned, report) = DatasetCleaner.Clean(OneSku(1, 2, 3, 4, 100), new CleaningOptions { Outliers = OutlierMode.Flag });
        Assert.Equal(100, cleaned.Series[0].Units[4]);
        Assert.Equal(new CleaningChange("A", Start.AddDays(4), CleaningChangeKind.Flagged, 100, 100), Assert.Single(report.Changes));
        Assert.Equal(7, report.Bounds[0].Upper);
    }

    [Fact]
    public void A_larger_k_widens_the_fences()
    {
        // Q1 = 2, Q3 = 4, IQR = 2; with k = 3 the upper fence is 4 + 6 = 10, so 9 stays.
        var (cleaned, _) = DatasetCleaner.Clean(OneSku(1, 2, 3, 4, 9), new CleaningOptions { Outliers = OutlierMode.Clip, IqrK = 3 });
        Assert.Equal(9, cleaned.Series[0].Units[4]);
    }

    [Fact]
    public void The_report_is_written_as_csv()
    {
        var (_, report) = DatasetCleaner.Clean(OneSku(1, 2, 3, 4, 100, double.NaN), new CleaningOptions { Outliers = OutlierMode.Clip });
        var writer = new StringWriter();
        report.WriteCsv(writer);
        Assert.Equal("sku,date,kind,old,new\nA,2024-03-05,clipped,100,7\nA,2024-03-06,interpolated,,7\n", writer.ToString());
    }
}
