using Microsoft.EntityFrameworkCore;

namespace Slipway.Infrastructure.Data.Postgres;

/// <summary>The PostgreSQL flavour of the model; owns the migrations in this folder.</summary>
public sealed class PostgresSlipwayDbContext(DbContextOptions<PostgresSlipwayDbContext> options) : SlipwayDbContext(options);
