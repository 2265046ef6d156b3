#include "ExportText.h"

#include "items/TimeFormat.h"

#include <QDateTime>

namespace tt::exporting {

namespace {
bool xmlForbidden(char16_t c)
{
    return (c < 0x20 && c != 0x09 && c != 0x0A && c != 0x0D) || c == 0xFFFE || c == 0xFFFF;
}
QChar standIn(char16_t c)
{
    return c < 0x20 ? QChar(char16_t(0x2400 + c)) : QChar(char16_t(0xFFFD));
}
} // namespace

QString htmlEscape(QStringView s)
{
    QString out;
    out.reserve(s.size() + s.size() / 8 + 8);
    for (qsizetype i = 0; i < s.size(); ++i) {
        const QChar ch = s[i];
        const char16_t c = ch.unicode();
        if (ch.isHighSurrogate() && i + 1 < s.size() && s[i + 1].isLowSurrogate()) {
            out += ch;
            out += s[++i];
            continue;
        }
        if (ch.isSurrogate()) { // lone half of a pair
            out += QChar(char16_t(0xFFFD));
            continue;
        }
        switch (c) {
        case u'&':
            out += QLatin1String("&amp;");
            break;
        case u'<':
            out += QLatin1String("&lt;");
            break;
        case u'>':
            out += QLatin1String("&gt;");
            break;
        case u'"':
            out += QLatin1String("&quot;");
            break;
        case u'\'':
            out += QLatin1String("&#39;");
            break;
        // Kept through attribute-value normalisation and line-end handling of XML parsers.
        case u'\r':
            out += QLatin1String("&#13;");
            break;
        case u'\n':
            out += QLatin1String("&#10;");
            break;
        case u'\t':
            out += QLatin1String("&#9;");
            break;
        default:
            if (xmlForbidden(c))
                out += standIn(c);
            else
                out += ch;
        }
    }
    return out;
}

QByteArray xmlSafeUtf8(const QByteArray &utf8)
{
    // Fast path: most documents carry no forbidden bytes.
    bool clean = true;
    for (char b : utf8) {
        const auto u = static_cast<unsigned char>(b);
        if ((u < 0x20 && u != 0x09 && u != 0x0A && u != 0x0D) || u == 0xEF) {
            clean = false;
            break;
        }
    }
    if (clean)
        return utf8;
    const QString s = QString::fromUtf8(utf8); // invalid UTF-8 becomes U+FFFD here
    QString out;
    out.reserve(s.size());
    for (qsizetype i = 0; i < s.size(); ++i) {
        const QChar ch = s[i];
        if (ch.isHighSurrogate() && i + 1 < s.size() && s[i + 1].isLowSurrogate()) {
            out += ch;
            out += s[++i];
        } else if (ch.isSurrogate()) {
            out += QChar(char16_t(0xFFFD));
        } else if (xmlForbidden(ch.unicode())) {
            out += standIn(ch.unicode());
        } else {
            out += ch;
        }
    }
    return out.toUtf8();
}

std::string csvCell(const std::string &s)
{
    std::string v = s;
    if (!v.empty() && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@' || v[0] == '\t' || v[0] == '\r'))
        v.insert(v.begin(), '\'');
    std::string out = "\"";
    out.reserve(v.size() + 2);
    for (char c : v) {
        if (c == '"')
            out += "\"\"";
        else
            out.push_back(c);
    }
    out += '"';
    return out;
}

QString formatTime(int64_t us, const QTimeZone &zone)
{
    return formatIsoTime(us, zone);
}

} // namespace tt::exporting
