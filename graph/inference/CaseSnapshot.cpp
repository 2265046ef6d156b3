#include "inference/CaseSnapshot.h"

#include "store/Sqlite.h"

#include <algorithm>

namespace tt::inference {

template<typename T> void ByHost<T>::finish()
{
    for (auto &[host, rows] : m_rows)
        std::stable_sort(rows.begin(), rows.end(),
            [](const T &a, const T &b) { return a.ts != b.ts ? a.ts < b.ts : a.event < b.event; });
}

template<typename T> std::pair<const T *, const T *> ByHost<T>::range(int64_t host, int64_t lo, int64_t hi) const
{
    auto it = m_rows.find(host);
    if (it == m_rows.end() || it->second.empty())
        return {nullptr, nullptr};
    const std::vector<T> &v = it->second;
    auto b = std::lower_bound(v.begin(), v.end(), lo, [](const T &r, int64_t t) { return r.ts < t; });
    auto e = std::upper_bound(b, v.end(), hi, [](int64_t t, const T &r) { return t < r.ts; });
    return {v.data() + (b - v.begin()), v.data() + (e - v.begin())};
}

template<typename T> const std::vector<T> &ByHost<T>::of(int64_t host) const
{
    static const std::vector<T> kEmpty;
    auto it = m_rows.find(host);
    return it == m_rows.end() ? kEmpty : it->second;
}

template<typename T> std::vector<int64_t> ByHost<T>::hosts() const
{
    std::vector<int64_t> out;
    out.reserve(m_rows.size());
    for (const auto &kv : m_rows)
        out.push_back(kv.first);
    std::sort(out.begin(), out.end());
    return out;
}

template<typename T> size_t ByHost<T>::size() const
{
    size_t n = 0;
    for (const auto &kv : m_rows)
        n += kv.second.size();
    return n;
}

template class ByHost<ProcessInfo>;
template class ByHost<FileCreateInfo>;
template class ByHost<ShareInfo>;
template class ByHost<LogonInfo>;
template class ByHost<NetInfo>;
template class ByHost<ServiceInfo>;
template class ByHost<store::ShareReadRow>;
template class ByHost<store::BitsJobRow>;
template class ByHost<store::ScriptBlockRow>;
template class ByHost<store::ScheduledTaskRow>;

namespace {
int64_t i64(const sql::Stmt &st, int col, int64_t fallback = 0)
{
    return st.isNull(col) ? fallback : st.int64(col);
}
std::string txt(const sql::Stmt &st, int col)
{
    return st.isNull(col) ? std::string() : st.text(col);
}
} // namespace

void CaseSnapshot::load(sql::Db &db)
{
    // Rows without a time cannot be correlated and are left out.
    {
        auto st = db.prepare(
            "SELECT p.id, p.event, p.host_id, e.source_id, p.start_ts, p.origin, p.guid, p.pid, p.image, "
            "p.command_line, p.parent_guid, p.parent_pid, p.parent_image, p.account_id, p.logon_id, p.hashes "
            "FROM processes p JOIN events e ON e.id=p.event WHERE p.start_ts IS NOT NULL ORDER BY p.id");
        while (st.step()) {
            ProcessInfo p;
            p.id = st.int64(0);
            p.event = st.int64(1);
            p.host = st.int64(2);
            p.source = st.int64(3);
            p.ts = st.int64(4);
            p.sysmon = st.textView(5) == "sysmon1";
            p.esxiShell = st.textView(5) == "esxi-shell";
            p.guid = txt(st, 6);
            p.pid = i64(st, 7, -1);
            p.image = txt(st, 8);
            p.cmd = txt(st, 9);
            p.parentGuid = txt(st, 10);
            p.parentPid = i64(st, 11, -1);
            p.parentImage = txt(st, 12);
            p.account = i64(st, 13);
            p.logonId = txt(st, 14);
            p.hashes = txt(st, 15);
            processes.add(std::move(p));
        }
        processes.finish();
    }
    {
        auto st = db.prepare(
            "SELECT f.id, f.event, f.host_id, e.source_id, f.ts, f.path, f.image, f.process_guid, f.pid, "
            "f.account_id, f.hashes, f.kind, f.access_mask FROM file_events f JOIN events e ON e.id=f.event "
            "WHERE f.kind IN ('create', 'read', 'stream', 'access') AND f.ts IS NOT NULL AND f.path IS NOT NULL "
            "ORDER BY f.id");
        while (st.step()) {
            FileCreateInfo f;
            f.id = st.int64(0);
            f.event = st.int64(1);
            f.host = st.int64(2);
            f.source = st.int64(3);
            f.ts = st.int64(4);
            f.path = txt(st, 5);
            f.image = txt(st, 6);
            f.guid = txt(st, 7);
            f.pid = i64(st, 8, -1);
            f.account = i64(st, 9);
            f.hashes = txt(st, 10);
            const std::string kind = txt(st, 11);
            if (kind == "access" && (i64(st, 12) & 6) == 0)
                continue; // 4663 without WriteData / AppendData
            (kind == "read"            ? fileReads
                    : kind == "stream" ? fileStreams
                    : kind == "access" ? fileWrites
                                       : fileCreates)
                .add(std::move(f));
        }
        fileCreates.finish();
        fileReads.finish();
        fileStreams.finish();
        fileWrites.finish();
    }
    {
        // 5140 (sessions opening shares) and 5145 that asked for WriteData / AppendData, plus the
        // IPC$ svcctl opens that follow a service binary drop.
        auto st = db.prepare(
            "SELECT s.id, s.event, s.host_id, e.source_id, s.ts, s.code, s.share_name, s.share_path, "
            "s.relative_target, "
            "s.access_mask, s.access_list, s.src_ip, s.src_port, s.account_id, s.logon_id FROM share_accesses s "
            "JOIN events e ON e.id=s.event WHERE s.ts IS NOT NULL AND (s.code=5140 OR (s.code=5145 AND "
            "((s.access_mask & 6) != 0 OR s.access_list LIKE '%4417%' OR s.access_list LIKE '%4418%' "
            "OR s.relative_target LIKE 'svcctl'))) ORDER BY s.id");
        while (st.step()) {
            ShareInfo s;
            s.id = st.int64(0);
            s.event = st.int64(1);
            s.host = st.int64(2);
            s.source = st.int64(3);
            s.ts = st.int64(4);
            s.code = st.integer(5);
            s.share = txt(st, 6);
            s.sharePath = txt(st, 7);
            s.rel = txt(st, 8);
            s.mask = i64(st, 9);
            s.accessList = txt(st, 10);
            s.ip = txt(st, 11);
            s.port = i64(st, 12, -1);
            s.account = i64(st, 13);
            s.logonId = txt(st, 14);
            shares.add(std::move(s));
        }
        shares.finish();
    }
    {
        auto st = db.prepare(
            "SELECT l.id, l.event, l.host_id, e.source_id, l.ts, l.origin, l.logon_id, l.source_ip, "
            "l.workstation, l.logon_type, l.account_id, l.source_port, l.end_ts FROM logon_sessions l "
            "JOIN events e ON e.id=l.event WHERE l.ts IS NOT NULL AND l.outcome='success' AND "
            "(l.logon_type IN (3, 10) OR l.origin LIKE 'rdp-%' OR l.origin IN ('sshd', 'auditd')) ORDER BY l.id");
        while (st.step()) {
            LogonInfo l;
            l.id = st.int64(0);
            l.event = st.int64(1);
            l.host = st.int64(2);
            l.source = st.int64(3);
            l.ts = st.int64(4);
            l.origin = txt(st, 5);
            l.logonId = txt(st, 6);
            l.ip = txt(st, 7);
            l.workstation = txt(st, 8);
            l.type = static_cast<int>(i64(st, 9));
            l.account = i64(st, 10);
            l.port = i64(st, 11, -1);
            l.endTs = i64(st, 12);
            logons.add(std::move(l));
        }
        logons.finish();
    }
    {
        auto st = db.prepare(
            "SELECT n.id, n.event, n.host_id, e.source_id, n.ts, n.initiated, n.src_ip, n.src_port, "
            "n.src_name, n.dst_ip, n.dst_port, n.dst_name, n.image, n.process_guid, n.protocol FROM net_connections n "
            "JOIN events e ON e.id=n.event WHERE n.ts IS NOT NULL AND (n.dst_port IN (445, 139, 3389) "
            "OR n.src_port IN (445, 139, 3389)) ORDER BY n.id");
        while (st.step()) {
            NetInfo n;
            n.id = st.int64(0);
            n.event = st.int64(1);
            n.host = st.int64(2);
            n.source = st.int64(3);
            n.ts = st.int64(4);
            n.initiated = static_cast<int>(i64(st, 5, -1));
            n.srcIp = txt(st, 6);
            n.srcPort = i64(st, 7, -1);
            n.srcName = txt(st, 8);
            n.dstIp = txt(st, 9);
            n.dstPort = i64(st, 10, -1);
            n.dstName = txt(st, 11);
            n.image = txt(st, 12);
            n.guid = txt(st, 13);
            n.protocol = txt(st, 14);
            connections.add(std::move(n));
        }
        connections.finish();
    }
    {
        auto st
            = db.prepare("SELECT s.id, s.event, s.host_id, e.source_id, s.ts, s.origin, s.service_name, s.image_path, "
                         "s.account_id FROM service_installs s JOIN events e ON e.id=s.event WHERE s.ts IS NOT NULL "
                         "ORDER BY s.id");
        while (st.step()) {
            ServiceInfo s;
            s.id = st.int64(0);
            s.event = st.int64(1);
            s.host = st.int64(2);
            s.source = st.int64(3);
            s.ts = st.int64(4);
            s.origin = txt(st, 5);
            s.name = txt(st, 6);
            s.imagePath = txt(st, 7);
            s.account = i64(st, 8);
            services.add(std::move(s));
        }
        services.finish();
    }
    for (auto &r : store::loadShareReads(db))
        shareReads.add(std::move(r));
    shareReads.finish();
    for (auto &r : store::loadBitsJobs(db))
        bitsJobs.add(std::move(r));
    bitsJobs.finish();
    for (auto &r : store::loadScriptBlocks(db))
        scriptBlocks.add(std::move(r));
    scriptBlocks.finish();
    for (auto &r : store::loadScheduledTasks(db))
        scheduledTasks.add(std::move(r));
    scheduledTasks.finish();
    for (const auto &[host, rows] : processes.all())
        for (const ProcessInfo &p : rows) {
            m_procById.emplace(p.id, &p);
            if (!p.guid.empty())
                m_procByGuid.emplace(std::to_string(host) + '|' + p.guid, &p); // first (Sysmon) wins
        }
}

const ProcessInfo *CaseSnapshot::processById(int64_t id) const
{
    auto it = m_procById.find(id);
    return it == m_procById.end() ? nullptr : it->second;
}

const ProcessInfo *CaseSnapshot::processByGuid(int64_t host, const std::string &guid) const
{
    if (guid.empty())
        return nullptr;
    auto it = m_procByGuid.find(std::to_string(host) + '|' + guid);
    return it == m_procByGuid.end() ? nullptr : it->second;
}

const ProcessInfo *CaseSnapshot::processByPid(int64_t host, int64_t pid, int64_t ts) const
{
    if (pid < 0)
        return nullptr;
    // The latest start of that pid not after ts (pids are reused; the newest holder is the one).
    const std::vector<ProcessInfo> &v = processes.of(host);
    auto e = std::upper_bound(v.begin(), v.end(), ts, [](int64_t t, const ProcessInfo &r) { return t < r.ts; });
    const ProcessInfo *best = nullptr;
    for (auto it = v.begin(); it != e; ++it)
        if (it->pid == pid && (!best || it->ts > best->ts || (it->ts == best->ts && it->sysmon && !best->sysmon)))
            best = &*it;
    return best;
}

const ProcessInfo *CaseSnapshot::parentOf(const ProcessInfo &p) const
{
    if (const ProcessInfo *g = processByGuid(p.host, p.parentGuid))
        return g;
    return processByPid(p.host, p.parentPid, p.ts - 1);
}

} // namespace tt::inference
