using System.Globalization;
using Ballast.HaproxyConfig.Units;
using Ballast.Proto.V1;

namespace Ballast.HaproxyConfig.Rules;

/// <summary>
/// Reads and writes <c>stick-table type ip|string size &lt;n&gt; [expire &lt;time&gt;] [store &lt;types&gt;]</c> and
/// <c>cookie &lt;name&gt; insert|rewrite|prefix [indirect] [nocache] [httponly] [secure]</c> (manual, section 4.2).
/// </summary>
internal static class PersistenceParser
{
    /// <summary>Reads a stick table from the words after <c>stick-table</c>.</summary>
    public static StickTable ParseStickTable(IReadOnlyList<string> words)
    {
        var table = new StickTable();
        bool typed = false, sized = false;
        for (var i = 0; i < words.Count; i++)
        {
            var keyword = words[i];
            var value = i + 1 < words.Count ? words[i + 1] : null;
            if (value is null && keyword is "type" or "size" or "expire" or "store" or "len")
            {
                throw new RuleParseException($"'{keyword}' expects a value", i);
            }

            switch (keyword)
            {
                case "type":
                    table.Type = value switch
                    {
                        "ip" => StickTableType.Ip,
                        "string" => StickTableType.String,
                        _ => throw new RuleParseException($"unsupported stick-table type '{value}' (supported: ip, which holds IPv6 too, and string)", i + 1),
                    };
                    typed = true;
                    break;
                case "len" when table.Type == StickTableType.String && value == "32":
                    break;
                case "size":
                    table.Size = SizeParser.TryParse(value!, out var size, out var sizeError) ? size : throw new RuleParseException($"size: {sizeError}", i + 1);
                    sized = true;
                    break;
                case "expire":
                    table.ExpireMs = Time(value!, "expire", i + 1);
                    break;
                case "store":
                    foreach (var type in value!.Split(','))
                    {
                        ParseStore(table, type, i + 1);
                    }

                    break;
                default:
                    throw new RuleParseException($"unsupported stick-table option '{keyword}' (supported: type, size, expire, store)", i);
            }

            i++;
        }

        if (!typed)
        {
            throw new RuleParseException("stick-table: missing 'type'", 0);
        }

        return sized ? table : throw new RuleParseException("stick-table: missing 'size'", 0);
    }

    /// <summary>The words of a stick table.</summary>
    public static IEnumerable<string> Format(StickTable table)
    {
        var words = new List<string> { "type", table.Type == StickTableType.String ? "string" : "ip", "size", Size(table.Size) };
        if (table.ExpireMs != 0)
        {
            words.AddRange(["expire", TimeParser.Format(table.ExpireMs)]);
        }

        var store = new List<string>();
        if (table.HttpReqRatePeriodMs != 0)
        {
            store.Add($"http_req_rate({TimeParser.Format(table.HttpReqRatePeriodMs)})");
        }

        if (table.ConnRatePeriodMs != 0)
        {
            store.Add($"conn_rate({TimeParser.Format(table.ConnRatePeriodMs)})");
        }

        if (table.StoreConnCur)
        {
            store.Add("conn_cur");
        }

        if (store.Count > 0)
        {
            words.AddRange(["store", string.Join(',', store)]);
        }

        return words;
    }

    /// <summary>Reads cookie persistence from the words after <c>cookie</c>.</summary>
    public static CookiePersistence ParseCookie(IReadOnlyList<string> words)
    {
        if (words.Count == 0)
        {
            throw new RuleParseException("expected '<name> insert|rewrite|prefix [indirect] [nocache] [httponly] [secure]'", 0);
        }

        var cookie = new CookiePersistence { Name = words[0] };
        var moded = false;
        for (var i = 1; i < words.Count; i++)
        {
            switch (words[i])
            {
                case "insert" or "rewrite" or "prefix" when !moded:
                    cookie.Mode = words[i] switch { "rewrite" => CookieMode.Rewrite, "prefix" => CookieMode.Prefix, _ => CookieMode.Insert };
                    moded = true;
                    break;
                case "insert" or "rewrite" or "prefix":
                    throw new RuleParseException($"cookie: '{words[i]}': only one of insert, rewrite and prefix may be given", i);
                case "indirect":
                    cookie.Indirect = true;
                    break;
                case "nocache":
                    cookie.Nocache = true;
                    break;
                case "httponly":
                    cookie.Httponly = true;
                    break;
                case "secure":
                    cookie.Secure = true;
                    break;
                default:
                    throw new RuleParseException($"cookie: unsupported option '{words[i]}' (supported: insert, rewrite, prefix, indirect, nocache, httponly, secure)", i);
            }
        }

        return moded ? cookie : throw new RuleParseException("cookie: insert, rewrite or prefix is required (passive cookies are not supported)", 0);
    }

    /// <summary>The words of cookie persistence.</summary>
    public static IEnumerable<string> Format(CookiePersistence cookie)
    {
        yield return cookie.Name;
        yield return cookie.Mode switch { CookieMode.Rewrite => "rewrite", CookieMode.Prefix => "prefix", _ => "insert" };
        if (cookie.Indirect)
        {
            yield return "indirect";
        }

        if (cookie.Nocache)
        {
            yield return "nocache";
        }

        if (cookie.Httponly)
        {
            yield return "httponly";
        }

        if (cookie.Secure)
        {
            yield return "secure";
        }
    }

    private static void ParseStore(StickTable table, string type, int index)
    {
        var (name, argument) = AclParser.ParseFetch(type, index);
        switch (name)
        {
            case "http_req_rate" when argument.Length > 0:
                table.HttpReqRatePeriodMs = Time(argument, name, index);
                break;
            case "conn_rate" when argument.Length > 0:
                table.ConnRatePeriodMs = Time(argument, name, index);
                break;
            case "conn_cur" when argument.Length == 0:
                table.StoreConnCur = true;
                break;
            default:
                throw new RuleParseException($"unsupported stick-table data type '{type}' (supported: http_req_rate(<period>), conn_rate(<period>), conn_cur)", index);
        }
    }

    private static uint Time(string text, string keyword, int index) =>
        TimeParser.TryParse(text, TimeUnit.Milliseconds, out var ms, out var error) ? ms : throw new RuleParseException($"{keyword}: {error}", index);

    private static string Size(uint size) =>
        size != 0 && size % (1 << 20) == 0 ? (size >> 20).ToString(CultureInfo.InvariantCulture) + "m"
        : size != 0 && size % 1024 == 0 ? (size >> 10).ToString(CultureInfo.InvariantCulture) + "k"
        : size.ToString(CultureInfo.InvariantCulture);
}
