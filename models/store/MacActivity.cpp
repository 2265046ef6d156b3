#include "store/MacActivity.h"

#include "store/RecordReader.h"
#include "store/RowBinding.h"
#include "store/Sqlite.h"

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cctype>

namespace tt::store {

std::vector<MountRow> loadMounts(sql::Db &db)
{
    std::vector<MountRow> out;
    auto st = db.prepare("SELECT e.id, e.host_id, e.source_id, e.ts, e.account_id, e.block_id, e.block_index "
                         "FROM events e JOIN channels c ON c.id = e.channel_id WHERE c.name = 'macos:es' "
                         "AND e.ts IS NOT NULL AND e.host_id IS NOT NULL ORDER BY e.id");
    RecordReader records(db);
    std::string_view payload;
    std::string error;
    while (st.step()) {
        if (!records.read(st, 5, payload, error))
            continue; // a corrupt block: the event browser says so
        // Cheap test first: most eslogger events are exec / create / write.
        const bool mount = payload.find("\"mount\":") != std::string_view::npos;
        const bool unmount = payload.find("\"unmount\":") != std::string_view::npos;
        if (!mount && !unmount)
            continue;
        const QJsonObject event
            = QJsonDocument::fromJson(QByteArray(payload.data(), static_cast<qsizetype>(payload.size())))
                  .object()
                  .value(QLatin1String("event"))
                  .toObject();
        const char *kind = event.contains(QLatin1String("mount")) ? "mount"
            : event.contains(QLatin1String("unmount"))            ? "unmount"
                                                                  : nullptr;
        if (!kind)
            continue; // the word was inside a path or an argument
        const QJsonObject statfs
            = event.value(QLatin1String(kind)).toObject().value(QLatin1String("statfs")).toObject();
        MountRow r;
        r.event = st.int64(0);
        r.host = st.int64(1);
        r.source = st.int64(2);
        r.ts = st.int64(3);
        r.account = columnInt64(st, 4);
        r.unmount = kind[0] == 'u';
        r.fstype = statfs.value(QLatin1String("f_fstypename")).toString().toStdString();
        r.mountOn = statfs.value(QLatin1String("f_mntonname")).toString().toStdString();
        r.mountFrom = statfs.value(QLatin1String("f_mntfromname")).toString().toStdString();
        if (!r.mountOn.empty())
            out.push_back(std::move(r));
    }
    return out;
}

std::vector<std::string> plistValues(std::string_view text, std::string_view key)
{
    std::vector<std::string> out;
    size_t at = 0;
    while ((at = text.find(key, at)) != std::string_view::npos) {
        const bool wordStart
            = at == 0 || !(std::isalnum(static_cast<unsigned char>(text[at - 1])) || text[at - 1] == '_');
        size_t i = at + key.size();
        at = i;
        if (!wordStart)
            continue;
        while (i < text.size() && text[i] == ' ')
            ++i;
        if (i >= text.size() || text[i] != '=')
            continue;
        ++i;
        while (i < text.size() && text[i] == ' ')
            ++i;
        std::string v;
        if (i < text.size() && text[i] == '"') {
            // "..." with \" and \\ escapes, as NSString descriptions write them.
            for (++i; i < text.size() && text[i] != '"'; ++i) {
                if (text[i] == '\\' && i + 1 < text.size())
                    ++i;
                v.push_back(text[i]);
            }
        } else {
            while (i < text.size() && text[i] != ';' && text[i] != '\n' && text[i] != ',' && text[i] != ')')
                v.push_back(text[i++]);
            while (!v.empty() && v.back() == ' ')
                v.pop_back();
        }
        if (!v.empty())
            out.push_back(std::move(v));
    }
    return out;
}

std::vector<AirDropRow> loadAirDropAsks(sql::Db &db)
{
    std::vector<AirDropRow> out;
    auto st = db.prepare("SELECT e.id, e.host_id, e.source_id, e.ts, e.block_id, e.block_index "
                         "FROM events e JOIN channels c ON c.id = e.channel_id WHERE c.name = 'macos:unifiedlog' "
                         "AND e.ts IS NOT NULL AND e.host_id IS NOT NULL ORDER BY e.id");
    RecordReader records(db);
    std::string_view payload;
    std::string error;
    while (st.step()) {
        if (!records.read(st, 4, payload, error))
            continue;
        if (payload.find("sharingd") == std::string_view::npos
            || payload.find("SenderComputerName") == std::string_view::npos)
            continue;
        const QJsonObject entry
            = QJsonDocument::fromJson(QByteArray(payload.data(), static_cast<qsizetype>(payload.size()))).object();
        const std::string image = entry.value(QLatin1String("processImagePath")).toString().toStdString();
        if (image.size() < 9 || image.compare(image.size() - 9, 9, "/sharingd") != 0)
            continue; // another process quoting the words
        const std::string message = entry.value(QLatin1String("eventMessage")).toString().toStdString();
        const std::vector<std::string> sender = plistValues(message, "SenderComputerName");
        AirDropRow r;
        r.files = plistValues(message, "FileName");
        if (sender.empty() || r.files.empty())
            continue;
        r.event = st.int64(0);
        r.host = st.int64(1);
        r.source = st.int64(2);
        r.ts = st.int64(3);
        r.sender = sender.front();
        if (const auto id = plistValues(message, "SenderID"); !id.empty())
            r.senderId = id.front();
        out.push_back(std::move(r));
    }
    return out;
}

SmbMountSource parseSmbMountFrom(const std::string &from)
{
    SmbMountSource s;
    if (from.size() < 3 || from[0] != '/' || from[1] != '/')
        return s;
    const std::string rest = from.substr(2);
    const size_t slash = rest.find('/');
    if (slash == std::string::npos || slash + 1 >= rest.size())
        return s;
    std::string authority = rest.substr(0, slash);
    std::string share = rest.substr(slash + 1);
    while (!share.empty() && share.back() == '/')
        share.pop_back();
    if (const size_t at = authority.rfind('@'); at != std::string::npos) {
        std::string user = authority.substr(0, at);
        authority = authority.substr(at + 1);
        if (const size_t semi = user.find(';'); semi != std::string::npos)
            user = user.substr(0, semi) + "\\" + user.substr(semi + 1); // DOMAIN;user -> DOMAIN\user
        if (const size_t colon = user.find(':'); colon != std::string::npos)
            user.resize(colon); // never keep a password
        s.user = user;
    }
    if (const size_t colon = authority.rfind(':');
        colon != std::string::npos && authority.find(':') == colon && authority.front() != '[')
        authority.resize(colon); // server:port
    if (authority.empty() || share.empty())
        return s;
    s.server = authority;
    s.share = share;
    return s;
}

} // namespace tt::store
