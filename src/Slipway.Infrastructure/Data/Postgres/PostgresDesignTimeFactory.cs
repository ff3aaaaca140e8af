using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Slipway.Infrastructure.Data.Postgres;

/// <summary>Lets <c>dotnet ef migrations add --context PostgresSlipwayDbContext</c> build the model without a server.</summary>
internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresSlipwayDbContext>
{
    public PostgresSlipwayDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresSlipwayDbContext>().UseNpgsql("Host=127.0.0.1;Database=design_time").Options);
}
