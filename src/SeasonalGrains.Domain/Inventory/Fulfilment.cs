namespace SeasonalGrains.Domain.Inventory;

/// <summary>What happens to demand that on-hand stock cannot serve.</summary>
public enum Fulfilment
{
    /// <summary>Unserved demand is lost; shortage cost is charged once per lost unit.</summary>
    LostSales,

    /// <summary>Unserved demand waits for stock; shortage cost is charged per backordered unit per day.</summary>
    Backorders,
}
