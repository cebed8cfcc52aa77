global using SeasonalGrains.Abstractions;
global using SeasonalGrains.Abstractions.Live;
global using SeasonalGrains.Domain.Inventory;
global using SeasonalGrains.Domain.Policies;
