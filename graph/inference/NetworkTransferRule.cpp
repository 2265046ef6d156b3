#include "inference/NetworkTransferRule.h"

#include "inference/AccountResolver.h"
#include "inference/HostResolver.h"
#include "inference/RuleContext.h"
#include "inference/SmbReadRule.h"
#include "inference/WinPath.h"
#include "store/HostName.h"
#include "store/NetworkEvidenceRepository.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace tt::inference {

namespace {
constexpr int64_t kSec = 1000000;
constexpr int64_t kMinFlowBytes = 256 * 1024; // an upload-heavy SMB connection worth looking at
constexpr int64_t kMinBurstBytes = 1024 * 1024; // a burst that is a file, not protocol chatter
constexpr int64_t kUploadRatio = 8; // client->server bytes at least this many times the reply
constexpr int64_t kBurstGap = 30 * kSec; // flows of one pair closer than this are one copy
constexpr int64_t kSensorDup = 5 * kSec; // the same connection seen by two sensors

using Flow = store::NetFlowRow;
using NetFile = store::NetFileRow;
using Auth = store::NetAuthRow;

std::string lastComponent(std::string_view p)
{
    if (auto q = p.find_first_of("?#"); q != std::string_view::npos)
        p = p.substr(0, q);
    while (!p.empty() && (p.back() == '/' || p.back() == '\\'))
        p.remove_suffix(1);
    const auto cut = p.find_last_of("/\\");
    return std::string(cut == std::string_view::npos ? p : p.substr(cut + 1));
}

std::string upper(const std::string &s)
{
    return store::toUpperAscii(s);
}

// What a file the sensor saw on the wire gives a candidate, pushed or pulled: its time (the
// sensor's clock, with the same-host slack either side) and the hashes Zeek computed.
void stampSensorFile(Candidate &c, const NetFile &f, Direction direction, int64_t slack)
{
    c.methodRank = 2;
    c.direction = direction;
    c.firstTs = c.lastTs = f.ts;
    c.lo = f.ts - slack;
    c.hi = f.ts + slack;
    c.clockHost = 0; // the sensor's clock
    if (!f.md5.empty())
        c.hashes = "MD5=" + upper(f.md5);
    if (!f.sha1.empty())
        c.hashes += std::string(c.hashes.empty() ? "" : ",") + "SHA1=" + upper(f.sha1);
    if (!f.sha256.empty())
        c.hashes += std::string(c.hashes.empty() ? "" : ",") + "SHA256=" + upper(f.sha256);
}

// Zeek's mime types of a program or archive (libmagic names; http.log lists several).
bool toolMime(const std::string &mime)
{
    static const char *const kMime[] = {"application/x-dosexec", "application/x-msdownload", "application/x-executable",
        "application/x-elf", "application/x-sharedlib", "application/x-mach-o", "application/x-msi",
        "application/vnd.ms-cab-compressed", "application/zip", "application/x-7z-compressed", "application/x-rar",
        "application/java-archive", "text/x-shellscript", "application/x-sh"};
    for (const char *m : kMime)
        if (mime.find(m) != std::string::npos)
            return true;
    return false;
}

// A read the server answered in full: http 2xx, ftp 2xx (226 transfer complete); no code logged
// is taken as given (older logs).
bool succeeded(const std::string &status)
{
    return status.empty() || status == "-" || status[0] == '2';
}

// A share a client reads for its own upkeep (group policy, logon scripts, pipes), not a transfer.
bool upkeepShare(const std::string &path)
{
    const std::string p = store::toUpperAscii(path);
    return p.find("IPC$") != std::string::npos || p.find("SYSVOL") != std::string::npos
        || p.find("NETLOGON") != std::string::npos;
}
} // namespace

void NetworkTransferRule::collect(RuleContext &ctx, std::vector<Candidate> &out)
{
    store::NetworkEvidenceRepository &net = ctx.network;
    if (!net.hasNetworkEvidence())
        return;

    // Internal addresses: private, with evidence of belonging to the site's domain.
    std::unordered_set<std::string> internal;
    for (const std::string &raw : net.domainAddresses()) {
        const std::string ip = store::normaliseIp(raw);
        if (store::isPrivateIp(ip))
            internal.insert(ip);
    }
    auto isInternal = [&](const std::string &ip) { return !ip.empty() && internal.count(ip) > 0; };

    // Kerberos service tickets (cifs/) and NTLM logins, by client address.
    std::unordered_map<std::string, std::vector<Auth>> auths;
    for (Auth &a : net.smbLogins()) {
        a.orig = store::normaliseIp(a.orig);
        if (a.log == "ntlm")
            a.service = "ntlm:" + store::normaliseIp(a.resp); // NTLM names the server by its address
        auths[a.orig].push_back(std::move(a));
    }
    // The Kerberos / NTLM evidence that src authenticated to dst around ts.
    auto linkAuth = [&](Candidate &c, const std::string &src, const std::string &dst, int64_t ts, int64_t source) {
        auto it = auths.find(src);
        if (it == auths.end())
            return;
        const Auth *best = nullptr;
        for (const Auth &a : it->second) {
            if (a.ts < ts - ctx.cfg.skew || a.ts > ts + 5 * kSec)
                continue;
            if (a.service.rfind("ntlm:", 0) == 0) {
                if (a.service.compare(5, std::string::npos, dst) != 0)
                    continue;
            } else {
                // cifs/NAME[.domain][@REALM]: NAME must be the destination, or a name the case
                // does not place anywhere else at that time.
                std::string target = a.service.substr(5);
                target = target.substr(0, target.find('@'));
                const int64_t named = ctx.hosts.internal(target, ts, source);
                const int64_t dstHost = ctx.hosts.byIp(dst, ts, source);
                if (named && dstHost && named != dstHost)
                    continue;
                if (named && !dstHost && !ctx.hosts.isIpOnly(named) && ctx.hosts.byIp(dst, ts, 0)
                    && named != ctx.hosts.byIp(dst, ts, 0))
                    continue;
            }
            if (!best || std::llabs(a.ts - ts) < std::llabs(best->ts - ts))
                best = &a;
        }
        if (!best)
            return;
        c.addEvidence(best->event, role::kNetAuth, name());
        if (!c.account && best->account)
            c.account = ctx.accounts.canonical(best->account);
    };

    // Named file movements.
    std::vector<NetFile> files;
    std::vector<NetFile> downloads; // files / http that reached an internal host (for net-relay)
    std::vector<NetFile> pulls; // reads / downloads a client made of a whole tool-like file
    std::vector<NetFile> fileLog; // files.log rows: bytes of a pull, by connection uid
    for (NetFile &f : net.fileMovements()) {
        // Pulls (server -> client at the client's request): smb_files FILE_READ, ftp RETR, an
        // http GET answered with a body (the importer set src = server, dst = client for those).
        const bool served = !f.resp.empty() && f.src == f.resp && f.dst == f.orig;
        const bool smbRead = f.log == "smb_files" && f.action == "SMB::FILE_READ" && !upkeepShare(f.path)
            && SmbReadRule::toolLike(WinPath::fileName(f.name));
        const bool ftpRetr = f.log == "ftp" && f.action == "RETR" && succeeded(f.status);
        const bool httpGet = f.log == "http" && f.action == "GET" && succeeded(f.status)
            && (toolMime(f.mime) || SmbReadRule::toolLike(lastComponent(f.name)));
        if (served && (smbRead || ((ftpRetr || httpGet) && !lastComponent(f.name).empty())))
            pulls.push_back(f);
        else if (f.log == "files" && !f.uid.empty())
            fileLog.push_back(f);
        const bool clientSent = !f.orig.empty() && f.src == f.orig;
        bool push = false;
        if (f.log == "smb_files")
            push = f.action == "SMB::FILE_WRITE";
        else if (f.log == "ftp")
            push = f.action == "STOR" || f.action == "STOU" || f.action == "APPE";
        else if (f.log == "http")
            push = (f.action == "PUT" || f.action == "POST") && clientSent;
        else if (f.log == "files")
            push = clientSent && (f.action == "SMB" || f.action == "HTTP");
        if (push)
            files.push_back(std::move(f));
        else if (f.log == "http" || f.log == "files")
            downloads.push_back(std::move(f));
    }

    // conn.log SMB flows, upload-heavy, between internal hosts; the same connection seen by two
    // sensors is one flow.
    std::vector<Flow> flows;
    for (Flow &f : net.smbFlows(kMinFlowBytes)) {
        f.orig = store::normaliseIp(f.orig);
        f.resp = store::normaliseIp(f.resp);
        if (f.origBytes < kUploadRatio * std::max<int64_t>(f.respBytes, 1))
            continue;
        if (f.orig == f.resp || !isInternal(f.orig) || !isInternal(f.resp))
            continue;
        flows.push_back(std::move(f));
    }

    // Named writes become candidates; flows carrying them (same uid) are their volume evidence.
    std::set<std::string> namedUids;
    for (const NetFile &f : files) {
        if (f.src == f.dst || !isInternal(f.src) || !isInternal(f.dst))
            continue;
        std::string file
            = f.log == "http" || f.log == "ftp" ? lastComponent(f.name) : std::string(WinPath::fileName(f.name));
        if (file.empty())
            continue;
        Candidate c;
        c.srcIp = f.src;
        c.srcHost = ctx.hosts.forAddress(f.src, f.ts, f.source);
        c.dstHost = ctx.hosts.forAddress(f.dst, f.ts, f.source);
        if (!c.dstHost)
            continue;
        c.fileName = file;
        if (f.log == "smb_files" && !f.path.empty())
            c.dstPath = f.path + (f.path.back() == '\\' ? "" : "\\") + f.name; // \\HOST\SHARE\dir\file
        c.method = f.log == "http" ? Method::Http : f.log == "ftp" ? Method::Ftp : Method::SmbShare;
        if (f.log == "files")
            c.method = f.action == "HTTP" ? Method::Http : Method::SmbShare;
        if (c.method == Method::SmbShare && !f.path.empty()) {
            const std::string share = WinPath::shareShortName(f.path);
            if (WinPath::isAdminShare(share))
                c.method = Method::SmbAdminShare;
        }
        stampSensorFile(c, f, Direction::Push, ctx.cfg.sameHostSlack);
        c.addEvidence(f.event, role::kNetWrite, name());
        c.addRule(name());
        for (const Flow &fl : flows)
            if (!f.uid.empty() && fl.uid == f.uid)
                c.addEvidence(fl.event, role::kNetVolume, name());
        if (c.method == Method::SmbShare || c.method == Method::SmbAdminShare)
            linkAuth(c, f.src, f.dst, f.ts, f.source);
        if (!f.uid.empty())
            namedUids.insert(f.uid);
        out.push_back(std::move(c));
    }

    // Pulls: the server sent the whole file to the client at the client's request. Source = the
    // server, destination = the reader (an IP-only host unless the case names it).
    for (const NetFile &f : pulls) {
        if (f.src == f.dst || !isInternal(f.src) || !isInternal(f.dst))
            continue;
        const std::string file = f.log == "smb_files" ? std::string(WinPath::fileName(f.name)) : lastComponent(f.name);
        Candidate c;
        c.srcIp = f.src;
        c.srcHost = ctx.hosts.forAddress(f.src, f.ts, f.source);
        c.dstHost = ctx.hosts.forAddress(f.dst, f.ts, f.source);
        if (!c.dstHost || !c.srcHost)
            continue;
        c.fileName = file;
        if (f.log == "smb_files") {
            c.method
                = WinPath::isAdminShare(WinPath::shareShortName(f.path)) ? Method::SmbAdminShare : Method::SmbShare;
            if (!f.path.empty())
                c.srcPath = f.path + (f.path.back() == '\\' ? "" : "\\") + f.name; // \\HOST\SHARE\dir\file
        } else {
            c.method = f.log == "http" ? Method::Http : Method::Ftp;
            c.srcPath = f.log == "http" ? f.path + f.name : f.name; // host + uri, or the ftp argument
        }
        stampSensorFile(c, f, Direction::Pull, ctx.cfg.sameHostSlack);
        c.addEvidence(f.event, role::kNetRead, name());
        c.addRule(name());
        // files.log's record of the same bytes (same connection, same direction).
        for (const NetFile &x : fileLog)
            if (x.uid == f.uid && x.src == f.src && x.dst == f.dst && std::llabs(x.ts - f.ts) <= 60 * kSec)
                c.addEvidence(x.event, role::kNetRead, name());
        if (c.method == Method::SmbShare || c.method == Method::SmbAdminShare)
            linkAuth(c, f.dst, f.src, f.ts, f.source); // the reader authenticated to the server
        out.push_back(std::move(c));
    }

    // Unnamed SMB uploads: bursts of flows of one (source, destination) pair.
    std::vector<const Flow *> sorted;
    for (const Flow &f : flows)
        if (!namedUids.count(f.uid))
            sorted.push_back(&f);
    std::stable_sort(sorted.begin(), sorted.end(), [](const Flow *a, const Flow *b) {
        return std::tie(a->orig, a->resp, a->ts) < std::tie(b->orig, b->resp, b->ts);
    });
    for (size_t i = 0; i < sorted.size();) {
        size_t j = i + 1;
        int64_t end = sorted[i]->ts + sorted[i]->dur;
        while (j < sorted.size() && sorted[j]->orig == sorted[i]->orig && sorted[j]->resp == sorted[i]->resp
            && sorted[j]->ts <= std::max(end, sorted[j - 1]->ts) + kBurstGap) {
            end = std::max(end, sorted[j]->ts + sorted[j]->dur);
            ++j;
        }
        // Bytes per distinct connection: the same client port starting within kSensorDup is one
        // connection seen by two sensors (the larger count); a port reused later is another one.
        std::map<int64_t, std::pair<int64_t, size_t>> lastOfPort; // port -> (start, index in conns)
        std::vector<int64_t> conns;
        std::vector<const Flow *> group(sorted.begin() + long(i), sorted.begin() + long(j));
        for (const Flow *f : group) {
            const auto seen = lastOfPort.find(f->origPort);
            if (seen != lastOfPort.end() && f->ts - seen->second.first <= kSensorDup) {
                int64_t &b = conns[seen->second.second];
                b = std::max(b, f->origBytes);
                continue;
            }
            lastOfPort[f->origPort] = {f->ts, conns.size()};
            conns.push_back(f->origBytes);
        }
        int64_t bytes = 0;
        for (int64_t b : conns)
            bytes += b;
        const Flow &first = *group.front();
        i = j;
        if (bytes < kMinBurstBytes)
            continue;
        Candidate c;
        c.srcIp = first.orig;
        c.srcHost = ctx.hosts.forAddress(first.orig, first.ts, first.source);
        c.dstHost = ctx.hosts.forAddress(first.resp, first.ts, first.source);
        if (!c.dstHost)
            continue;
        c.method = Method::SmbShare;
        c.methodRank = 1;
        c.direction = Direction::Push;
        c.firstTs = first.ts;
        c.lastTs = end;
        c.lo = first.ts;
        c.hi = end;
        c.clockHost = 0;
        for (const Flow *f : group)
            c.addEvidence(f->event, role::kNetVolume, name());
        c.addRule(name());
        linkAuth(c, first.orig, first.resp, first.ts, first.source);
        // The same bytes reached the source just before: a download of about that size names the file.
        const NetFile *relay = nullptr;
        for (const NetFile &d : downloads) {
            if (d.dst != first.orig || d.src == first.resp || d.size <= 0)
                continue;
            if (d.ts < first.ts - ctx.cfg.skew || d.ts > first.ts + 5 * kSec)
                continue;
            if (d.size * 2 < bytes || d.size > bytes * 2)
                continue;
            const std::string n = d.log == "http" ? lastComponent(d.name) : std::string(WinPath::fileName(d.name));
            if (!relay || (d.log == "http" && relay->log != "http"))
                relay = n.empty() ? relay : &d;
        }
        if (relay) {
            c.fileName
                = relay->log == "http" ? lastComponent(relay->name) : std::string(WinPath::fileName(relay->name));
            c.srcPath = relay->log == "http" ? relay->path + relay->name : relay->name;
            for (const NetFile &d : downloads)
                if (d.dst == relay->dst && std::llabs(d.ts - relay->ts) <= 2 * kSec && d.size == relay->size)
                    c.addEvidence(d.event, role::kNetRelay, name());
        } else {
            c.fileName = "(unnamed: " + std::to_string(bytes) + " bytes over SMB)";
        }
        out.push_back(std::move(c));
    }
}

} // namespace tt::inference
