using Microsoft.Extensions.Logging;

namespace SeasonalGrains.Grains.Live;

internal static partial class LiveLog
{
    [LoggerMessage(EventId = 4100, Level = LogLevel.Information, Message = "Live SKU {Sku} defined; its first business day is {OpenDate:yyyy-MM-dd}")]
    public static partial void Defined(ILogger logger, string sku, DateOnly openDate);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Debug, Message = "Live SKU {Sku} closed {Days} day(s) through {Through:yyyy-MM-dd}; suggestion {Units} units")]
    public static partial void Closed(ILogger logger, string sku, int days, DateOnly through, double units);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "Live SKU {Sku}: {Warning}")]
    public static partial void CloseWarning(ILogger logger, string sku, string warning);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Error, Message = "Live SKU {Sku} could not register its daily close reminder; its days close only through the API")]
    public static partial void ReminderFailed(ILogger logger, Exception exception, string sku);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Warning, Message = "Live SKU {Sku} could not publish its orders to the order book; retrying")]
    public static partial void PublishFailed(ILogger logger, Exception exception, string sku);
}
