# syntax=docker/dockerfile:1
# Two images from one build context (the repository root):
#   target host: the silo with the HTTP API (src/SeasonalGrains.Host)
#   target cli:  the `seasonal` tool, e.g. `db migrate` (src/SeasonalGrains.Cli)
# docker-compose.yml builds both; by hand: docker build --target host -t seasonalgrains-host:local .

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS source
WORKDIR /src
COPY global.json Directory.Build.props Directory.Build.targets Directory.Packages.props .editorconfig ./
COPY build/ build/
COPY src/ src/

FROM source AS publish-cli
RUN --mount=type=cache,id=nuget,target=/root/.nuget/packages \
    dotnet publish src/SeasonalGrains.Cli/SeasonalGrains.Cli.csproj -c Release -r linux-x64 --self-contained false -o /app

FROM source AS publish-host
RUN --mount=type=cache,id=nuget,target=/root/.nuget/packages \
    dotnet publish src/SeasonalGrains.Host/SeasonalGrains.Host.csproj -c Release -r linux-x64 --self-contained false -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS cli
WORKDIR /app
COPY --from=publish-cli /app ./
USER $APP_UID
ENTRYPOINT ["dotnet", "seasonal.dll"]

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS host
WORKDIR /app
COPY --from=publish-host /app ./
USER $APP_UID
ENV ASPNETCORE_HTTP_PORTS=8080
EXPOSE 8080 11111 30000
ENTRYPOINT ["dotnet", "SeasonalGrains.Host.dll"]
