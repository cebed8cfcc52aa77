using SeasonalGrains.Data.Io;

namespace SeasonalGrains.Data.Tests.Io;

/// <summary>A small valid dataset folder, written file by file so each test can break one thing.</summary>
internal static class TinyDataset
{
    public const string Info = """
        {
          "name": "tiny",
          "source": "hand-written",
          "licence": "CC0-1.0",
          "start": "2024-01-01",
          "end": "2024-01-05",
          "notes": "five days, two SKUs"
        }
        """;

    public const string Skus = """
        sku,category,region,unit_cost,unit_price,lead_time_days,initial_on_hand,moq,case_pack,salvage_value
        A,coats,north,40,99.5,7,20,10,5,12
        "B, the scarf",scarves,south,2,5,3,10,,,
        """;

    public const string Demand = """
        sku,date,units,price,promo
        A,2024-01-01,3,99.5,0
        A,2024-01-02,5,79.6,1
        A,2024-01-04,4,99.5,0
        A,2024-01-05,0,99.5,0
        "B, the scarf",2024-01-01,0,5,0
        "B, the scarf",2024-01-02,2.5,,
        "B, the scarf",2024-01-03,,5,0
        """;

    public const string Calendar = """
        date,holiday,workingday
        2024-01-01,new-year,0
        2024-01-02,,1
        2024-01-03,,1
        2024-01-04,,1
        2024-01-05,,1
        """;

    public const string Weather = """
        date,region,temp_c,humidity,precip_mm
        2024-01-01,north,-3.5,40,0
        2024-01-01,south,12,80,4.2
        2024-01-02,north,-5,,0
        """;

    public static TempFolder Create()
    {
        var folder = new TempFolder();
        folder.Write(DatasetFiles.Info, Info);
        folder.Write(DatasetFiles.Skus, Skus);
        folder.Write(DatasetFiles.Demand, Demand);
        folder.Write(DatasetFiles.Calendar, Calendar);
        folder.Write(DatasetFiles.Weather, Weather);
        return folder;
    }
}
