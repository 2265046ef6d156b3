#include "inference/CloudSyncRule.h"

#include "inference/AccountResolver.h"
#include "inference/CaseSnapshot.h"
#include "inference/RuleContext.h"
#include "inference/SyncFolder.h"
#include "inference/WinPath.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <memory>
#include <set>

namespace tt::inference {

namespace {
constexpr const char *kRule = "cloud-sync";

struct SyncedWrite {
    // A copy: the rule pairs writes of every host, and the snapshot holds a few hosts' rows.
    std::shared_ptr<const FileCreateInfo> row;
    std::string provider, relative, name; // name: key() of the file name
    bool byClient;
};

// Files every host makes for itself in any folder (Explorer's desktop.ini / Thumbs.db, Office's
// "~$" owner files, editors' lock and temp files): a sync client carries them, but the same name
// on two hosts says nothing about a file moving between them.
bool perHostNoise(const std::string &nameKey)
{
    if (nameKey == "desktop.ini" || nameKey == "thumbs.db" || nameKey == ".ds_store")
        return true;
    if (nameKey.rfind("~$", 0) == 0 || nameKey.rfind(".~lock.", 0) == 0)
        return true;
    return nameKey.size() > 4 && nameKey.compare(nameKey.size() - 4, 4, ".tmp") == 0;
}

// "SHA1=a,MD5=b,SHA256=c" (Sysmon) -> {SHA1: a, ...}, upper-case values.
std::map<std::string, std::string> parseHashes(const std::string &s)
{
    std::map<std::string, std::string> out;
    size_t i = 0;
    while (i < s.size()) {
        size_t end = s.find(',', i);
        if (end == std::string::npos)
            end = s.size();
        const std::string part = s.substr(i, end - i);
        const size_t eq = part.find('=');
        if (eq != std::string::npos && eq + 1 < part.size()) {
            std::string k = part.substr(0, eq), v = part.substr(eq + 1);
            for (char &c : k)
                c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
            for (char &c : v)
                c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
            out[k] = v;
        }
        i = end + 1;
    }
    return out;
}

enum class HashMatch { Unknown, Same, Different };

HashMatch compareHashes(const std::string &a, const std::string &b)
{
    if (a.empty() || b.empty())
        return HashMatch::Unknown;
    const auto ha = parseHashes(a), hb = parseHashes(b);
    bool any = false;
    for (const auto &[alg, v] : ha) {
        auto it = hb.find(alg);
        if (it == hb.end())
            continue;
        if (it->second != v)
            return HashMatch::Different;
        any = true;
    }
    return any ? HashMatch::Same : HashMatch::Unknown;
}

// The content hash logged for the file of a write: its own (some formats carry one), else a
// Sysmon 15 on the same file (TargetFilename "path:stream") near it on the same host.
std::string hashOf(const RuleContext &ctx, const FileCreateInfo &f)
{
    if (!f.hashes.empty())
        return f.hashes;
    const std::string key = WinPath::key(f.path);
    auto [b, e] = ctx.snap.fileStreams.range(f.host, f.ts - ctx.cfg.sameHostSlack, f.ts + ctx.cfg.commandToWrite);
    for (const FileCreateInfo *s = b; s != e; ++s) {
        std::string p = WinPath::key(s->path);
        if (const size_t colon = p.find(':', 2); colon != std::string::npos)
            p.resize(colon);
        if (p == key && !s->hashes.empty())
            return s->hashes;
    }
    return {};
}
} // namespace

bool CloudSyncRule::inSyncedFolder(const FileCreateInfo &f)
{
    return SyncFolder::locate(f.path).has_value();
}

void CloudSyncRule::collect(RuleContext &ctx, std::vector<Candidate> &out)
{
    // Writes inside synced folders, by (provider, file name), in time order per host.
    std::map<std::pair<std::string, std::string>, std::vector<SyncedWrite>> byName;
    auto scan = [&](const HostRows<FileCreateInfo> &rows) {
        for (int64_t host : rows.hosts()) {
            ctx.snap.processes.trim(); // nothing of the previous host is held
            if (!rows.mayHave(host, CaseSnapshot::kSyncedFile))
                continue;
            for (const FileCreateInfo &f : rows.of(host)) {
                auto place = SyncFolder::locate(f.path);
                if (!place)
                    continue;
                const std::string client = SyncFolder::clientOf(f.image);
                // Another provider's client writing here is not this provider syncing.
                if (!client.empty() && client != place->provider)
                    continue;
                std::string name = WinPath::key(WinPath::fileName(f.path));
                if (perHostNoise(name))
                    continue;
                SyncedWrite w {std::make_shared<const FileCreateInfo>(f), place->provider, place->relative,
                    std::move(name), !client.empty()};
                byName[{w.provider, w.name}].push_back(std::move(w));
            }
        }
    };
    scan(ctx.snap.fileCreates);
    scan(ctx.snap.fileWrites);
    const int64_t window = ctx.cfg.cloudSyncWindow;
    std::set<std::pair<int64_t, int64_t>> seen; // (destination host, source write): one transfer

    for (auto &[key, writes] : byName) {
        std::stable_sort(writes.begin(), writes.end(), [](const SyncedWrite &a, const SyncedWrite &b) {
            return a.row->ts != b.row->ts ? a.row->ts < b.row->ts : a.row->event < b.row->event;
        });
        for (size_t i = 0; i < writes.size(); ++i) {
            const SyncedWrite &dst = writes[i];
            if (!dst.byClient)
                continue;
            const std::string dstHash = hashOf(ctx, *dst.row);
            // The latest write by a person's process on another host before the client's create
            // (clocks may differ by the skew), whose content does not contradict it.
            const SyncedWrite *src = nullptr;
            HashMatch match = HashMatch::Unknown;
            for (size_t j = writes.size(); j-- > 0;) {
                const SyncedWrite &cand = writes[j];
                if (cand.byClient || cand.row->host == dst.row->host)
                    continue;
                if (cand.row->ts > dst.row->ts + ctx.cfg.skew || cand.row->ts < dst.row->ts - window)
                    continue;
                const HashMatch m = compareHashes(hashOf(ctx, *cand.row), dstHash);
                if (m == HashMatch::Different)
                    continue;
                src = &cand;
                match = m;
                break;
            }
            if (!src)
                continue;
            if (!seen.insert({dst.row->host, src->row->event}).second)
                continue; // the client logged the same arrival twice (Sysmon 11, then 4663)

            Candidate c;
            c.srcHost = src->row->host;
            c.dstHost = dst.row->host;
            c.fileName = std::string(WinPath::fileName(dst.row->path));
            c.dstPath = WinPath::stripNtPrefix(dst.row->path);
            c.srcPath = WinPath::stripNtPrefix(src->row->path);
            c.method = Method::CloudSync;
            c.methodRank = 2;
            c.direction = Direction::Push;
            // The person who put the file into the synced folder moved it; the client on the
            // destination writes as that host's user, who may be someone else.
            const int64_t srcAcct = ctx.accounts.canonical(src->row->account);
            const int64_t dstAcct = ctx.accounts.canonical(dst.row->account);
            c.account = srcAcct && !ctx.accounts.isServiceIdentity(srcAcct) ? srcAcct
                : dstAcct && !ctx.accounts.isServiceIdentity(dstAcct)       ? dstAcct
                                                                            : 0;
            c.firstTs = std::min(src->row->ts, dst.row->ts);
            c.lastTs = std::max(src->row->ts, dst.row->ts);
            c.lo = c.hi = dst.row->ts;
            c.clockHost = dst.row->host;
            c.hashes = match == HashMatch::Same ? dstHash : std::string();
            c.addEvidence(src->row->event, role::kSrcSyncWrite, kRule);
            c.addEvidence(dst.row->event, role::kDstSyncCreate, kRule);
            if (src->relative == dst.relative) {
                c.addEvidence(src->row->event, role::kSyncPath, kRule);
                c.addEvidence(dst.row->event, role::kSyncPath, kRule);
            }
            if (match == HashMatch::Same)
                c.addEvidence(dst.row->event, role::kSyncHash, kRule);
            c.addRule(kRule);
            out.push_back(std::move(c));
        }
    }
}

} // namespace tt::inference
