#include "store/AddressBindings.h"

#include "store/HostName.h"
#include "store/InferenceState.h"
#include "store/PgDb.h"
#include "store/Rows.h"
#include "store/Sqlite.h"

#include <algorithm>
#include <tuple>
#include <utility>

namespace tt::store {

void AddressBindingBuilder::note(int64_t hostId, std::string_view ip, std::string_view how, int64_t ts, int64_t event)
{
    std::string key = std::to_string(hostId) + '|' + std::string(ip) + '|' + std::string(how);
    auto it = m_index.find(key);
    if (it == m_index.end()) {
        it = m_index.emplace(std::move(key), static_cast<uint32_t>(m_keys.size())).first;
        m_keys.push_back(Key {hostId, std::string(ip), std::string(how)});
    }
    m_sightings.push_back(Sighting {ts, event, it->second});
}

void AddressBindingBuilder::clear()
{
    m_index.clear();
    m_keys.clear();
    m_sightings.clear();
}

std::vector<AddressBinding> AddressBindingBuilder::take()
{
    std::vector<Sighting> &obs = m_sightings;
    std::stable_sort(obs.begin(), obs.end(), [&](const Sighting &a, const Sighting &b) {
        const int64_t ha = m_keys[a.key].hostId, hb = m_keys[b.key].hostId;
        if (ha != hb)
            return ha < hb;
        return a.ts < b.ts; // untimed sightings (kNoValue) are the lowest value: first
    });
    std::vector<AddressBinding> rows;
    std::vector<int> open(m_keys.size(), -1); // key -> its open run in rows
    std::vector<char> sawOther(m_keys.size(), 0); // another address seen since the run's last sighting
    std::vector<uint32_t> hostKeys;
    for (size_t i = 0; i < obs.size();) {
        const int64_t host = m_keys[obs[i].key].hostId;
        size_t j = i;
        hostKeys.clear();
        for (; j < obs.size() && m_keys[obs[j].key].hostId == host; ++j)
            if (std::find(hostKeys.begin(), hostKeys.end(), obs[j].key) == hostKeys.end())
                hostKeys.push_back(obs[j].key);
        for (size_t k = i; k < j; ++k) {
            const Sighting &o = obs[k];
            const Key &key = m_keys[o.key];
            const bool timed = o.ts != kNoValue;
            if (timed)
                for (uint32_t other : hostKeys)
                    if (m_keys[other].ip != key.ip)
                        sawOther[other] = 1;
            int &run = open[o.key];
            if (run >= 0 && timed && rows[size_t(run)].last != kNoValue) {
                const int64_t gap = o.ts - rows[size_t(run)].last;
                if ((sawOther[o.key] && gap > kRebindGap) || gap > kStaleGap)
                    run = -1;
            }
            if (run < 0) {
                run = static_cast<int>(rows.size());
                rows.push_back(AddressBinding {key.hostId, key.ip, key.how, o.ts, o.ts, 0, o.event});
            }
            AddressBinding &a = rows[size_t(run)];
            ++a.count;
            if (timed) {
                if (a.first == kNoValue) {
                    a.first = o.ts;
                    a.event = o.event;
                }
                a.last = o.ts;
                sawOther[o.key] = 0;
            }
        }
        for (uint32_t k : hostKeys) {
            open[k] = -1;
            sawOther[k] = 0;
        }
        i = j;
    }
    // Deterministic order: the same input gives the same case.
    std::sort(rows.begin(), rows.end(), [](const AddressBinding &a, const AddressBinding &b) {
        return std::tie(a.hostId, a.ip, a.how, a.first) < std::tie(b.hostId, b.ip, b.how, b.first);
    });
    clear();
    return rows;
}

namespace {

// SQLite (sql::Db) and a server case's connection while it is upgraded (sql::PgDb): the same
// statements, the same statement API.
template<class Stmt> void bindOrNull(Stmt &st, int idx, int64_t v, int64_t none)
{
    if (v == none)
        st.bindNull(idx);
    else
        st.bind(idx, v);
}

template<class DbT> void insertBindings(DbT &db, int64_t sourceId, const std::vector<AddressBinding> &bindings)
{
    if (bindings.empty())
        return;
    auto ins = db.prepare("INSERT INTO host_addresses(host_id, address, how, source_id, first_ts, last_ts, count, "
                          "evidence_event) VALUES(?,?,?,?,?,?,?,?)");
    for (const AddressBinding &a : bindings) {
        ins.bind(1, a.hostId).bind(2, std::string_view(a.ip)).bind(3, std::string_view(a.how)).bind(4, sourceId);
        bindOrNull(ins, 5, a.first, kNoValue);
        bindOrNull(ins, 6, a.last, kNoValue);
        ins.bind(7, a.count);
        bindOrNull(ins, 8, a.event, 0);
        ins.exec();
    }
}

template<class DbT> void rebuild(DbT &db)
{
    db.exec("DELETE FROM address_conflicts"); // they name bindings by id; inference derives them again
    db.exec("DELETE FROM host_addresses WHERE how = 'sysmon3-local'");
    // The importer notes a sighting per Sysmon 3 record in the order of its file's events; the
    // records of one source come here in event order too, so each source's runs are cut as its
    // import cuts them (CaseWriter::noteAddress and the Normalizer's local end).
    auto st = db.prepare("SELECT e.source_id, n.host_id, n.initiated, n.src_ip, n.src_port, n.dst_ip, n.dst_port, "
                         "n.ts, n.event, n.protocol FROM net_connections n JOIN events e ON e.id = n.event "
                         "WHERE n.host_id IS NOT NULL ORDER BY e.source_id, n.event");
    AddressBindingBuilder builder;
    std::vector<std::pair<int64_t, std::vector<AddressBinding>>> done; // written after the read
    int64_t source = 0;
    auto cut = [&] {
        if (!builder.empty())
            done.emplace_back(source, builder.take());
    };
    while (st.step()) {
        const int64_t src = st.int64(0);
        if (src != source) {
            cut();
            source = src;
        }
        const LocalEnd end = localEndOfConnection(st.isNull(2) ? -1 : st.int64(2), st.textView(9),
            st.isNull(4) ? -1 : st.int64(4), st.isNull(6) ? -1 : st.int64(6));
        if (end == LocalEnd::Unknown)
            continue;
        const std::string ip = normaliseIp(st.textView(end == LocalEnd::Source ? 3 : 5));
        if (isUninformativeIp(ip))
            continue;
        builder.note(st.int64(1), ip, "sysmon3-local", st.isNull(7) ? kNoValue : st.int64(7), st.int64(8));
    }
    cut();
    for (const auto &[src, rows] : done)
        insertBindings(db, src, rows);
    // Transfers were resolved against the old bindings: inference has to run again.
    auto pending = db.prepare(
        "INSERT INTO case_info(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    pending.bind(1, std::string_view(kInferenceStateKey)).bind(2, std::string_view("pending"));
    pending.exec();
}

} // namespace

void insertAddressBindings(sql::Db &db, int64_t sourceId, const std::vector<AddressBinding> &bindings)
{
    insertBindings(db, sourceId, bindings);
}

void rebuildSysmonBindings(sql::Db &db)
{
    rebuild(db);
}

void rebuildSysmonBindings(sql::PgDb &db)
{
    rebuild(db);
}

} // namespace tt::store
