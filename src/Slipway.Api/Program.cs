using Slipway.Api;

await SlipwayServer.Build(args).RunAsync();
