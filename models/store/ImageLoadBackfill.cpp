#include "store/ImageLoadBackfill.h"

#include "store/HostName.h"
#include "store/InferenceState.h"
#include "store/RecordReader.h"
#include "store/Sqlite.h"
#include "store/WindowsActivity.h"

#include <cstdlib>
#include <string>

namespace tt::store {

bool isUncImagePath(const char *begin, const char *end)
{
    if (end - begin < 5 || (begin[0] != '\\' && begin[0] != '/') || begin[1] != begin[0])
        return false;
    return begin[2] != '?' && begin[2] != '.' && begin[2] != '\\' && begin[2] != '/';
}

int64_t backfillImageLoads(sql::Db &db)
{
    auto st = db.prepare("SELECT e.id, e.host_id, e.ts, e.payload_format, e.block_id, e.block_index FROM events e "
                         "JOIN channels c ON c.id = e.channel_id WHERE c.name = 'Microsoft-Windows-Sysmon/Operational' "
                         "COLLATE NOCASE AND e.event_id = 7 AND e.host_id IS NOT NULL ORDER BY e.id");
    auto ins = db.prepare("INSERT INTO file_events(event, host_id, ts, kind, path, image, process_guid, pid, "
                          "account_id, hashes) VALUES(?, ?, ?, 'image-load', ?, ?, ?, ?, ?, ?)");
    auto account = db.prepare("SELECT id FROM accounts WHERE domain = ? AND name_key = ?");
    RecordReader records(db);
    std::string_view payload;
    std::string error;
    int64_t added = 0;
    while (st.step()) {
        if (!records.read(st, 4, payload, error))
            continue; // a corrupt block: the event browser says so
        const int format = static_cast<int>(st.int64(3));
        const std::string loaded = payloadField(format, payload, "ImageLoaded");
        if (!isUncImagePath(loaded.data(), loaded.data() + loaded.size()))
            continue;
        auto text = [](const std::string &v) { return v == "-" ? std::string() : v; };
        const std::string guid = normaliseGuid(payloadField(format, payload, "ProcessGuid"));
        const std::string pid = payloadField(format, payload, "ProcessId");
        const std::string user = text(payloadField(format, payload, "User"));
        int64_t accountId = 0;
        if (const auto bs = user.find('\\'); bs != std::string::npos) {
            account.bind(1, toUpperAscii(user.substr(0, bs))).bind(2, toUpperAscii(user.substr(bs + 1)));
            if (account.step())
                accountId = account.int64(0);
            account.reset();
        }
        ins.bind(1, st.int64(0)).bind(2, st.int64(1));
        if (st.isNull(2))
            ins.bindNull(3);
        else
            ins.bind(3, st.int64(2));
        ins.bind(4, loaded).bindOptional(5, text(payloadField(format, payload, "Image"))).bindOptional(6, guid);
        if (pid.empty())
            ins.bindNull(7);
        else
            ins.bind(7, static_cast<int64_t>(std::strtoll(pid.c_str(), nullptr, 10)));
        if (accountId)
            ins.bind(8, accountId);
        else
            ins.bindNull(8);
        ins.bindOptional(9, payloadField(format, payload, "Hashes"));
        ins.exec();
        ++added;
    }
    if (added)
        markInferencePending(db);
    return added;
}

} // namespace tt::store
