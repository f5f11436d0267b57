using Ballast.HaproxyConfig.Import;
using Xunit.Abstractions;

namespace Ballast.HaproxyConfig.Tests.Import;

public sealed class SmokeTests(ITestOutputHelper output)
{
    [Fact]
    public void Prints_a_report()
    {
        var text = """
            global
                daemon
                maxconn 256
                setenv PORT 8080

            defaults base
                mode http
                timeout connect 5000ms
                option redispatch
                default-server inter 3s

            frontend http-in from base
                bind *:80,:"${PORT}"
                bind 10.0.0.1:443 ssl crt /etc/ssl/x.pem alpn h2,http/1.1
                acl is_api path_beg /api
                use_backend api if is_api
                default_backend servers

            backend servers
                balance uri len 10 depth 2
                option httpchk GET /health
                http-check expect status 200
                server server1 127.0.0.1:8000 maxconn 32 check
                server server2 127.0.0.1:8001 check inter 5s backup
                server server3 127.0.0.1 check

            listen stats
                bind :9000
                server s 10.0.0.9:80 weight 5 disabled
            """;
        var result = HaproxyImporter.Import(text);
        output.WriteLine(Google.Protobuf.JsonFormatter.Default.Format(result.Config));
        foreach (var f in result.Report.Findings)
        {
            output.WriteLine(f.ToString());
        }

        foreach (var m in result.Report.Mapped)
        {
            output.WriteLine(m.ToString());
        }

        output.WriteLine(Ballast.HaproxyConfig.Export.HaproxyExporter.Export(result.Config));
    }
}
