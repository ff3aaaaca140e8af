using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Slipway.Infrastructure.Data.Sqlite;

/// <summary>Lets <c>dotnet ef migrations add --context SqliteSlipwayDbContext</c> build the model without a host.</summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteSlipwayDbContext>
{
    public SqliteSlipwayDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteSlipwayDbContext>().UseSqlite("Data Source=design-time.db").Options);
}
