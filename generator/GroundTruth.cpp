#include "GroundTruth.h"

#include "TimeFormat.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <climits>
#include <set>

namespace tt::gen {

namespace {

QString q(const std::string &s)
{
    return QString::fromStdString(s);
}

QString refText(const EvidenceRef &r)
{
    return q(r.file + ":L" + std::to_string(r.line) + " (RecordNumber " + std::to_string(r.record) + ") " + r.host + ' '
        + r.channel + " EventID " + std::to_string(r.eventId) + ' ' + r.time + " | " + r.summary);
}

QJsonObject refObject(const EvidenceRef &r)
{
    QJsonObject o;
    o[QStringLiteral("file")] = q(r.file);
    o[QStringLiteral("line")] = static_cast<qint64>(r.line);
    o[QStringLiteral("position")] = static_cast<qint64>(r.position);
    o[QStringLiteral("record")] = static_cast<qint64>(r.record);
    o[QStringLiteral("host")] = q(r.host);
    o[QStringLiteral("channel")] = q(r.channel);
    o[QStringLiteral("event_id")] = r.eventId;
    return o;
}

const char *const kTrapText[] = {
    "Named-pipe writes on IPC$ (5145 ShareName=\\\\*\\IPC$, RelativeTargetName srvsvc/lsarpc/samr/svcctl/atsvc..., "
    "AccessMask 0x12019f includes WriteData): RPC, not files",
    "Sysmon 11 Image=System writing local .etl files (ETW real-time backup flushes): System writes without any SMB "
    "session",
    "Backup job copying through \\\\127.0.0.1\\C$ (4624/5140/5145 IpAddress=127.0.0.1, Sysmon 11 by System): "
    "loopback, source and destination are the same host",
    "Group Policy reads on the domain controller's SYSVOL (5145 AccessMask 0x120089, read only)",
    "Task XML under C:\\Windows\\System32\\Tasks written by svchost (Schedule service)",
};
const char *const kTrapKind[]
    = {"ipc-pipe-write", "etl-flush-by-system", "loopback-admin-share", "sysvol-read", "task-xml-by-svchost"};

} // namespace

QString GroundTruth::write(const QString &path, const std::vector<Transfer> &transfers,
    const std::vector<std::string> &notes, const std::vector<HostResult> &hosts, const HostResult *sensor,
    const std::vector<PlatformHost> *platform) const
{
    QJsonObject rec;
    const bool xml = m_options.format == Options::Format::EventXml;
    int64_t total = 0, first = INT64_MAX, last = INT64_MIN;
    QJsonArray hostList, files;
    QJsonObject byHost, byChannel, byHostChannel, ipMap;
    std::map<std::string, int64_t> channelTotals;
    for (size_t i = 0; i < hosts.size(); ++i) {
        const HostResult &h = hosts[i];
        const Host &host = m_topo.host(static_cast<int>(i));
        total += h.count;
        if (h.count) {
            first = std::min(first, h.firstUs);
            last = std::max(last, h.lastUs);
        }
        hostList.append(q(host.fqdn));
        files.append(q(h.file));
        for (const std::string &f : h.moreFiles)
            files.append(q(f));
        byHost[q(host.fqdn)] = static_cast<qint64>(h.count);
        ipMap[q(host.ip)] = q(host.name);
        for (const auto &[key, n] : h.counts) {
            const std::string k = std::string(RecordWriter::channelName(static_cast<Channel>(key.first))) + ':'
                + std::to_string(key.second);
            channelTotals[k] += n;
            byHostChannel[q(host.fqdn + '|' + k)] = static_cast<qint64>(n);
        }
    }
    if (sensor) {
        total += sensor->count;
        if (sensor->count) {
            first = std::min(first, sensor->firstUs);
            last = std::max(last, sensor->lastUs);
        }
        files.append(q(sensor->file));
        for (const std::string &f : sensor->moreFiles)
            files.append(q(f));
        static const char *const logs[] = {"conn", "smb_files", "files", "kerberos", "dns"};
        for (const auto &[key, n] : sensor->counts)
            channelTotals[std::string("zeek:") + logs[key.second % 5] + ":0"] += n;
        rec[QStringLiteral("sensor_events")] = static_cast<qint64>(sensor->count);
    }
    for (const auto &[k, n] : channelTotals)
        byChannel[q(k)] = static_cast<qint64>(n);
    // ESXi hosts and Macs: their files and, for those that name no host, the --host to import with.
    QJsonArray platformList;
    if (platform) {
        for (const PlatformHost &h : *platform) {
            hostList.append(q(h.fqdn));
            ipMap[q(h.ip)] = q(h.name);
            QJsonObject ph;
            ph[QStringLiteral("host")] = q(h.fqdn);
            ph[QStringLiteral("ip")] = q(h.ip);
            ph[QStringLiteral("kind")] = q(h.kind);
            QJsonArray logs;
            int64_t lines = 0;
            for (const PlatformLog &l : h.logs) {
                files.append(q(l.file));
                QJsonObject lo;
                lo[QStringLiteral("file")] = q(l.file);
                lo[QStringLiteral("lines")] = static_cast<qint64>(l.lines.size());
                if (!l.importHost.empty())
                    lo[QStringLiteral("import_host")] = q(l.importHost);
                logs.append(lo);
                lines += static_cast<int64_t>(l.lines.size());
            }
            ph[QStringLiteral("logs")] = logs;
            byHost[q(h.fqdn)] = static_cast<qint64>(lines);
            total += lines;
            platformList.append(ph);
        }
    }

    // Evidence by transfer.
    std::vector<std::vector<const EvidenceRef *>> ev(transfers.size());
    for (const HostResult &h : hosts)
        for (const EvidenceRef &r : h.evidence)
            if (r.transfer >= 0 && static_cast<size_t>(r.transfer) < ev.size())
                ev[static_cast<size_t>(r.transfer)].push_back(&r);
    if (sensor)
        for (const EvidenceRef &r : sensor->evidence)
            if (r.transfer >= 0 && static_cast<size_t>(r.transfer) < ev.size())
                ev[static_cast<size_t>(r.transfer)].push_back(&r);

    QJsonArray tr, other;
    int attack = 0, benign = 0;
    std::set<int> hopsSeen;
    for (size_t i = 0; i < transfers.size(); ++i) {
        const Transfer &t = transfers[i];
        QJsonObject o;
        const bool ingress = t.category == Transfer::Category::Ingress;
        const bool dstKnown = t.dst >= 0;
        const int64_t dstLocalUs = dstKnown ? t.utcUs - m_topo.host(t.dst).skewUs : t.utcUs;
        o[QStringLiteral("src")] = ingress || t.src < 0 ? q(t.srcName) : q(m_topo.host(t.src).fqdn);
        o[QStringLiteral("src_ip")] = ingress || t.src < 0 ? q(t.srcIp) : q(m_topo.host(t.src).ipAt(dstLocalUs));
        o[QStringLiteral("dst")] = dstKnown ? q(m_topo.host(t.dst).fqdn) : q(t.dstName);
        o[QStringLiteral("dst_ip")] = dstKnown ? q(m_topo.host(t.dst).ipAt(dstLocalUs)) : q(t.dstIp);
        o[QStringLiteral("path")] = q(t.path);
        o[QStringLiteral("file")] = q(t.file);
        o[QStringLiteral("account")] = q(t.account);
        o[QStringLiteral("utc")] = q(TimeFormat::isoSec(t.utcUs));
        o[QStringLiteral("method")] = q(t.method);
        o[QStringLiteral("direction")] = q(t.direction);
        o[QStringLiteral("kind")] = QStringLiteral("file-copy");
        o[QStringLiteral("visibility")] = q(t.visibility);
        o[QStringLiteral("confidence")] = q(t.confidence);
        o[QStringLiteral("label")] = t.category == Transfer::Category::BenignAdmin ? QStringLiteral("benign-admin")
            : ingress                                                              ? QStringLiteral("ingress")
                                                                                   : QStringLiteral("attack");
        if (!t.share.empty())
            o[QStringLiteral("share")] = q(t.share);
        if (!t.srcPath.empty())
            o[QStringLiteral("src_path")] = q(t.srcPath);
        if (t.hop >= 0)
            o[QStringLiteral("hop")] = t.hop + 1;
        if (!t.deployTool.empty())
            o[QStringLiteral("deployment")] = q(t.deployTool);
        if (!t.notes.empty())
            o[QStringLiteral("notes")] = q(t.notes);
        // evidence: records naming the file (5145 RelativeTargetName, Sysmon 11 TargetFilename,
        // Sysmon 1 / 4688 image or command line, 7045 / 4697 service file); context: the session
        // around it (logons, connections, explicit credentials).
        QJsonArray texts, refs, ctxTexts, ctxRefs;
        const QString fileName = q(t.file);
        for (const EvidenceRef *r : ev[i]) {
            const bool names = q(r->summary).contains(fileName, Qt::CaseInsensitive);
            (names ? texts : ctxTexts).append(refText(*r));
            (names ? refs : ctxRefs).append(refObject(*r));
        }
        o[QStringLiteral("evidence")] = texts;
        o[QStringLiteral("evidence_refs")] = refs;
        o[QStringLiteral("context")] = ctxTexts;
        o[QStringLiteral("context_refs")] = ctxRefs;
        if (ingress) {
            other.append(o);
        } else {
            tr.append(o);
            (t.category == Transfer::Category::Attack ? attack : benign)++;
            if (t.hop >= 0)
                hopsSeen.insert(t.hop);
        }
    }

    QJsonArray traps, trapRefs;
    for (int k = 0; k < static_cast<int>(Trap::Count); ++k) {
        int64_t n = 0;
        QJsonArray examples;
        QStringList where;
        for (const HostResult &h : hosts) {
            n += h.trapCounts[k];
            for (const EvidenceRef &r : h.trapSamples)
                if (static_cast<int>(r.trap) == k && examples.size() < 6) {
                    examples.append(refObject(r));
                    where << q(r.file + ":L" + std::to_string(r.line));
                }
        }
        if (!n)
            continue;
        const QString text = QString::fromUtf8(kTrapText[k]) + QStringLiteral(" - ") + QString::number(n)
            + QStringLiteral(" events, e.g. ") + where.mid(0, 3).join(QStringLiteral(", "));
        traps.append(text);
        QJsonObject o;
        o[QStringLiteral("kind")] = QString::fromUtf8(kTrapKind[k]);
        o[QStringLiteral("count")] = static_cast<qint64>(n);
        o[QStringLiteral("examples")] = examples;
        trapRefs.append(o);
    }

    QStringList noteList;
    for (const std::string &s : notes)
        noteList << q(s);
    noteList << QStringLiteral(
        "Synthetic recording by tt::gen (seed %1, %2 hosts, %3 days). EventTime is host local "
        "time; @timestamp is collector time (1-30 s later, UTC); Sysmon UtcTime is the host clock "
        "in UTC; host clocks are skewed 0-8 s.")
                    .arg(m_options.seed)
                    .arg(m_topo.hosts().size())
                    .arg(m_options.days);

    rec[QStringLiteral("file")] = QStringLiteral(".");
    rec[QStringLiteral("files")] = files;
    rec[QStringLiteral("format")] = xml ? QStringLiteral("xml") : QStringLiteral("jsonl");
    rec[QStringLiteral("events")] = static_cast<qint64>(total);
    rec[QStringLiteral("hosts")] = hostList;
    rec[QStringLiteral("transfers")] = tr;
    rec[QStringLiteral("other_transfers")] = other;
    rec[QStringLiteral("negative")] = tr.isEmpty();
    rec[QStringLiteral("label")] = attack ? QStringLiteral("positive") : QStringLiteral("negative");
    rec[QStringLiteral("technique")]
        = QStringLiteral("T1570 lateral tool transfer: %1 attacker transfer(s) over %2 hop(s) "
                         "(SMB admin shares, PsExec-style service binaries, RDP tsclient, scp / rsync over SSH) and "
                         "%3 benign admin transfer(s)")
              .arg(attack)
              .arg(hopsSeen.size())
              .arg(benign);
    rec[QStringLiteral("host_ip_map")] = ipMap;
    if (!platformList.isEmpty())
        rec[QStringLiteral("platform_hosts")] = platformList;
    if (m_topo.enterprise()) {
        // Enterprise mode: every address a churned host held, from when (true UTC), and the
        // cloned images (hosts sharing one machine SID and the local admin name).
        QJsonArray leases;
        for (int i : m_topo.churned()) {
            const Host &h = m_topo.host(i);
            leases.append(QJsonObject {{QStringLiteral("host"), q(h.fqdn)}, {QStringLiteral("ip"), q(h.ip)},
                {QStringLiteral("from"), q(TimeFormat::isoSec(m_topo.startUs()))}});
            for (const Host::Lease &l : h.leases)
                leases.append(QJsonObject {{QStringLiteral("host"), q(h.fqdn)}, {QStringLiteral("ip"), q(l.ip)},
                    {QStringLiteral("from"), q(TimeFormat::isoSec(l.fromUs))}});
        }
        rec[QStringLiteral("dhcp_leases")] = leases;
        QJsonObject images;
        for (const Host &h : m_topo.hosts())
            if (h.image >= 0) {
                QJsonArray members = images.value(q(h.machineSid)).toArray();
                members.append(q(h.fqdn));
                images[q(h.machineSid)] = members;
            }
        rec[QStringLiteral("cloned_images")] = images;
        rec[QStringLiteral("local_admin")] = q(m_topo.account(m_topo.localAdmin()).sam);
        // The VPN pool (its addresses; the laptops' leases are in dhcp_leases), the jump servers
        // and the deployment server.
        QJsonArray pool, laptops, jumps;
        for (const std::string &ip : m_topo.vpnPool())
            pool.append(q(ip));
        for (int i : m_topo.vpnLaptops())
            laptops.append(q(m_topo.host(i).fqdn));
        for (int i : m_topo.jumpServers())
            jumps.append(q(m_topo.host(i).fqdn));
        rec[QStringLiteral("vpn_pool")]
            = QJsonObject {{QStringLiteral("addresses"), pool}, {QStringLiteral("laptops"), laptops}};
        rec[QStringLiteral("jump_servers")] = jumps;
        if (m_topo.deployServer() >= 0)
            rec[QStringLiteral("deployment_server")] = q(m_topo.host(m_topo.deployServer()).fqdn);
    }
    rec[QStringLiteral("fp_traps")] = traps;
    rec[QStringLiteral("fp_trap_refs")] = trapRefs;
    rec[QStringLiteral("notes")] = noteList.join(QLatin1Char(' '));
    rec[QStringLiteral("time_range_utc")]
        = QJsonArray {q(TimeFormat::isoSec(total ? first : 0)), q(TimeFormat::isoSec(total ? last : 0))};
    rec[QStringLiteral("counts_by_channel_eventid")] = byChannel;
    rec[QStringLiteral("counts_by_host")] = byHost;
    rec[QStringLiteral("counts_by_host_channel_eventid")] = byHostChannel;
    QJsonObject gen;
    gen[QStringLiteral("seed")] = QString::number(m_options.seed);
    gen[QStringLiteral("hosts")] = m_options.hosts;
    gen[QStringLiteral("days")] = m_options.days;
    gen[QStringLiteral("events_requested")] = static_cast<qint64>(m_options.events);
    gen[QStringLiteral("attacker_hops")] = m_options.attackerHops;
    gen[QStringLiteral("domain")] = q(m_topo.dnsDomain());
    rec[QStringLiteral("generator")] = gen;

    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return QStringLiteral("cannot write %1: %2").arg(path, f.errorString());
    const QByteArray bytes = QJsonDocument(QJsonArray {rec}).toJson(QJsonDocument::Indented);
    if (f.write(bytes) != bytes.size())
        return QStringLiteral("write failed for %1").arg(path);
    return {};
}

} // namespace tt::gen
