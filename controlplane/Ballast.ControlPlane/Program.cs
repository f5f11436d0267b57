using System.CommandLine;
using Ballast.ControlPlane.Hosting;

// Ctrl-C and SIGTERM are left to the ASP.NET Core host (graceful shutdown), not to System.CommandLine.
var command = ControlPlaneCommand.Create(Console.Out, Console.Error);
return await command.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
