using System.Collections.Frozen;
using Ballast.Proto.V1;

namespace Ballast.ControlPlane.Model;

/// <summary>
/// The HAProxy keywords used for the ballast.v1 enums in JSON and in the store
/// (<c>mode http</c>, <c>balance static-rr</c>, <c>hash-type consistent</c>, <c>state drain</c>, ...). One table per
/// enum, used both ways. The hash function's <c>default</c> stands for "no function given" (sdbm, plus avalanche with
/// <c>hash-type consistent</c>), which HAProxy expresses by omitting the word.
/// </summary>
internal static class HaproxyWords
{
    private static readonly FrozenDictionary<Type, IEnumWords> Tables = new IEnumWords[]
    {
        new EnumWords<Mode>([(Mode.Http, "http"), (Mode.Tcp, "tcp")]),
        new EnumWords<Balance>(
        [
            (Balance.Roundrobin, "roundrobin"), (Balance.StaticRr, "static-rr"), (Balance.Leastconn, "leastconn"),
            (Balance.First, "first"), (Balance.Source, "source"), (Balance.Uri, "uri"),
            (Balance.UrlParam, "url_param"), (Balance.Hdr, "hdr"), (Balance.Random, "random"),
        ]),
        new EnumWords<HashType>([(HashType.MapBased, "map-based"), (HashType.Consistent, "consistent")]),
        new EnumWords<HashFunction>(
        [
            (HashFunction.Default, "default"), (HashFunction.Sdbm, "sdbm"), (HashFunction.Djb2, "djb2"),
            (HashFunction.Wt6, "wt6"), (HashFunction.Crc32, "crc32"), (HashFunction.None, "none"),
        ]),
        new EnumWords<HealthCheckType>(
            [(HealthCheckType.HealthCheckNone, "none"), (HealthCheckType.HealthCheckTcp, "tcp"), (HealthCheckType.HealthCheckHttp, "http")]),
        new EnumWords<ServerState>([(ServerState.Ready, "ready"), (ServerState.Drain, "drain"), (ServerState.Maint, "maint")]),
        new EnumWords<Observe>([(Observe.None, "none"), (Observe.Layer4, "layer4"), (Observe.Layer7, "layer7")]),
        new EnumWords<OnError>(
        [
            (OnError.Fastinter, "fastinter"), (OnError.FailCheck, "fail-check"), (OnError.SuddenDeath, "sudden-death"),
            (OnError.MarkDown, "mark-down"),
        ]),
        new EnumWords<ServerVerify>([(ServerVerify.Required, "required"), (ServerVerify.None, "none")]),
        new EnumWords<HttpCheckExpect>(
        [
            (HttpCheckExpect.Default, "default"), (HttpCheckExpect.Status, "status"), (HttpCheckExpect.Rstatus, "rstatus"),
            (HttpCheckExpect.String, "string"),
        ]),
        new EnumWords<ProxyProtocolVersion>(
        [
            (ProxyProtocolVersion.ProxyProtocolNone, "none"), (ProxyProtocolVersion.ProxyProtocolV1, "send-proxy"),
            (ProxyProtocolVersion.ProxyProtocolV2, "send-proxy-v2"),
        ]),
        new EnumWords<StatType>([(StatType.Frontend, "frontend"), (StatType.Backend, "backend"), (StatType.Server, "server")]),
    }.ToFrozenDictionary(t => t.EnumType);

    /// <summary>Whether <paramref name="type"/> is an enum with a keyword table.</summary>
    public static bool IsMapped(Type type) => Tables.ContainsKey(type);

    /// <summary>The keywords of a mapped enum, in declaration order.</summary>
    public static IReadOnlyList<string> WordsOf(Type type) => Tables[type].Words;

    /// <summary>The keywords of the mapped enum whose full name is <paramref name="fullName"/>, or null.</summary>
    public static IReadOnlyList<string>? WordsOf(string fullName) =>
        Tables.Values.FirstOrDefault(t => t.EnumType.FullName == fullName)?.Words;

    /// <summary>The keyword of <paramref name="value"/>, e.g. <c>static-rr</c>.</summary>
    public static string ToWord<TEnum>(TEnum value)
        where TEnum : struct, Enum => Table<TEnum>().ToWord(value);

    /// <summary>Parses a keyword (case-insensitive).</summary>
    public static bool TryParse<TEnum>(string? word, out TEnum value)
        where TEnum : struct, Enum => Table<TEnum>().TryParse(word, out value);

    /// <summary>Parses a keyword, throwing <see cref="FormatException"/> naming the allowed words.</summary>
    public static TEnum Parse<TEnum>(string word)
        where TEnum : struct, Enum =>
        TryParse<TEnum>(word, out var value) ? value : throw new FormatException(Expected<TEnum>(word));

    /// <summary>Message for an unknown keyword: <c>must be one of: ready, drain, maint (got 'x')</c>.</summary>
    public static string Expected<TEnum>(string? got)
        where TEnum : struct, Enum => $"must be one of: {string.Join(", ", Table<TEnum>().Words)} (got '{got}')";

    private static EnumWords<TEnum> Table<TEnum>()
        where TEnum : struct, Enum => (EnumWords<TEnum>)Tables[typeof(TEnum)];

    private interface IEnumWords
    {
        Type EnumType { get; }

        IReadOnlyList<string> Words { get; }
    }

    private sealed class EnumWords<TEnum> : IEnumWords
        where TEnum : struct, Enum
    {
        private readonly FrozenDictionary<TEnum, string> _toWord;
        private readonly FrozenDictionary<string, TEnum> _fromWord;

        public EnumWords((TEnum Value, string Word)[] pairs)
        {
            _toWord = pairs.ToFrozenDictionary(p => p.Value, p => p.Word);
            _fromWord = pairs.ToFrozenDictionary(p => p.Word, p => p.Value, StringComparer.OrdinalIgnoreCase);
            Words = pairs.Select(p => p.Word).ToArray();
        }

        public Type EnumType => typeof(TEnum);

        public IReadOnlyList<string> Words { get; }

        public string ToWord(TEnum value) =>
            _toWord.TryGetValue(value, out var word) ? word : value.ToString().ToLowerInvariant();

        public bool TryParse(string? word, out TEnum value)
        {
            if (word is not null && _fromWord.TryGetValue(word, out value))
            {
                return true;
            }

            value = default;
            return false;
        }
    }
}
