namespace Ballast.Proto.Tests.TestSupport;

/// <summary>Upper bounds for waits in tests (generous: the machine is shared).</summary>
public static class TestTimeouts
{
    public static readonly TimeSpan Call = TimeSpan.FromSeconds(15);
}
