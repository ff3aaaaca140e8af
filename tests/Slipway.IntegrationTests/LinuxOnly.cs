using System.Runtime.Versioning;

// These tests run real shells, read /proc and talk to sshd: they exist for Linux only, which is where Slipway runs.
[assembly: SupportedOSPlatform("linux")]
