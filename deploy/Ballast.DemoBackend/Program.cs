// Demo HTTP backend for the Ballast quick start and integration tests.
//
//   ballast-demo-backend --name s1 --urls http://127.0.0.1:8081
//
// GET /        -> 200 "s1\n"            (the body names the server, so balancing is visible)
// GET /health  -> 200 "ok\n"
// anything else -> 200 "s1 /the/path\n"  (echoes the server name and the request path)
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);

var name = builder.Configuration["name"] ?? Environment.MachineName;

var app = builder.Build();
app.MapGet("/", () => Results.Text(name + "\n"));
app.MapGet("/health", () => Results.Text("ok\n"));
app.Map("/{**path}", (HttpContext context) => Results.Text($"{name} {context.Request.Path}\n"));
app.Run();
