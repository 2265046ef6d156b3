#include "query/SpreadQuery.h"

#include "query/UnknownSources.h"
#include "store/CaseStore.h"
#include "store/Sqlite.h"

#include <QHash>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>
#include <map>
#include <optional>
#include <string>

namespace tt {

namespace {

QString qs(const sql::Stmt &st, int col)
{
    const std::string_view v = st.textView(col);
    return QString::fromUtf8(v.data(), static_cast<qsizetype>(v.size()));
}

// The identity values of a hashes field ("SHA1=..,MD5=..,SHA256=..,IMPHASH=.." as Sysmon writes
// it, or one bare value): upper-case hex, IMPHASH left out (different files share imports).
// `labels` (optional) gets "ALG=HEX" per value for display.
QSet<QString> hashValues(const QString &field, QHash<QString, QString> *labels = nullptr)
{
    QSet<QString> out;
    static const QRegularExpression sep(QStringLiteral("[,;\\s]+"));
    for (const QString &part : field.split(sep, Qt::SkipEmptyParts)) {
        const qsizetype eq = part.indexOf(QLatin1Char('='));
        const QString alg = eq >= 0 ? part.left(eq).trimmed().toUpper() : QString();
        if (alg == QLatin1String("IMPHASH"))
            continue;
        const QString v = (eq >= 0 ? part.mid(eq + 1) : part).trimmed().toUpper();
        if (v.size() < 32)
            continue;
        out.insert(v);
        if (labels && (!labels->contains(v) || !alg.isEmpty()))
            labels->insert(v, alg.isEmpty() ? v : alg + QLatin1Char('=') + v);
    }
    return out;
}

bool looksLikeHash(const QString &s)
{
    static const QRegularExpression re(
        QStringLiteral("^(?:[A-Za-z0-9]+=)?(?:[0-9A-Fa-f]{32}|[0-9A-Fa-f]{40}|[0-9A-Fa-f]{64})$"));
    return re.match(s).hasMatch();
}

QString baseName(const QString &path)
{
    const qsizetype cut = std::max(path.lastIndexOf(QLatin1Char('\\')), path.lastIndexOf(QLatin1Char('/')));
    return cut < 0 ? path : path.mid(cut + 1);
}

// What the candidate pass keeps of every transfer.
struct Candidate {
    int64_t id = 0;
    int64_t firstTs = 0;
    QString name, dstPath, srcPath;
    QSet<QString> hashes;
    QString hashesText;
    bool isLinux = false; // a Linux copy: its name is case-sensitive
};

bool sameName(const Candidate &c, const QString &name)
{
    return c.name.compare(name, c.isLinux ? Qt::CaseSensitive : Qt::CaseInsensitive) == 0;
}

bool samePath(const QString &a, const QString &b, bool isLinux)
{
    return !a.isEmpty() && a.compare(b, isLinux ? Qt::CaseSensitive : Qt::CaseInsensitive) == 0;
}

// Only the transfers a question can concern are read (the case may hold 100 000): the scan is
// SQLite's, over the table, with no index needed.
constexpr std::string_view kCandidateSelect = "SELECT id, first_ts, file_name, coalesce(dst_path,''), "
                                              "coalesce(src_path,''), method, coalesce(hashes,'') FROM transfers ";

std::vector<Candidate> loadCandidates(sql::Stmt &st)
{
    std::vector<Candidate> out;
    while (st.step()) {
        Candidate c;
        c.id = st.int64(0);
        c.firstTs = st.int64(1);
        c.name = qs(st, 2);
        c.dstPath = qs(st, 3);
        c.srcPath = qs(st, 4);
        const std::string_view m = st.textView(5);
        c.isLinux = m == "scp" || m == "sftp" || m == "rsync" || c.dstPath.startsWith(QLatin1Char('/'));
        c.hashesText = qs(st, 6);
        if (!c.hashesText.isEmpty())
            c.hashes = hashValues(c.hashesText);
        out.push_back(std::move(c));
    }
    return out;
}

// By name: SQLite's NOCASE folds ASCII only, so the exact rule (Windows names ignore case, Linux
// ones do not) is applied here.
std::vector<Candidate> candidatesNamed(sql::Db &db, const QString &name)
{
    auto st = db.prepare(std::string(kCandidateSelect) + "WHERE file_name = ?1 COLLATE NOCASE ORDER BY first_ts, id");
    st.bind(1, name.toStdString());
    std::vector<Candidate> out = loadCandidates(st);
    out.erase(
        std::remove_if(out.begin(), out.end(), [&](const Candidate &c) { return !sameName(c, name); }), out.end());
    return out;
}

std::vector<Candidate> candidateById(sql::Db &db, int64_t id)
{
    auto st = db.prepare(std::string(kCandidateSelect) + "WHERE id = ?1");
    st.bind(1, id);
    return loadCandidates(st);
}

// Every transfer sharing a hash value with `values`, grown until no new value appears (a copy
// logged with MD5 only joins one logged with SHA256 + MD5). Time order.
std::vector<Candidate> closeOverHashes(sql::Db &db, QSet<QString> &values)
{
    auto st = db.prepare(std::string(kCandidateSelect) + "WHERE hashes IS NOT NULL AND instr(upper(hashes), ?1) > 0");
    std::map<std::pair<int64_t, int64_t>, Candidate> found; // (first_ts, id)
    QStringList todo(values.begin(), values.end());
    QSet<QString> asked;
    while (!todo.isEmpty()) {
        const QString v = todo.takeFirst();
        if (asked.contains(v))
            continue;
        asked.insert(v);
        st.reset();
        st.bind(1, v.toStdString());
        for (Candidate &c : loadCandidates(st)) {
            if (!c.hashes.contains(v)) // a substring of a longer value
                continue;
            for (const QString &more : c.hashes)
                if (!values.contains(more)) {
                    values.insert(more);
                    todo << more;
                }
            found.emplace(std::pair {c.firstTs, c.id}, std::move(c));
        }
    }
    std::vector<Candidate> out;
    out.reserve(found.size());
    for (auto &[k, c] : found)
        out.push_back(std::move(c));
    return out;
}

// What buildTree needs of one node key beside its name.
struct KeyInfo {
    int64_t host = 0;
    int64_t unknownNode = 0;
    QString detail;
};

void loadHops(sql::Db &db, const std::vector<int64_t> &ids, SpreadResult &r, QHash<QString, int> &nodeIndex,
    std::vector<QString> &hopSrcKey, std::vector<QString> &hopDstKey, std::vector<QString> &keyName,
    std::vector<KeyInfo> &keyInfo)
{
    std::string arr = "[";
    for (size_t i = 0; i < ids.size(); ++i)
        arr += (i ? "," : "") + std::to_string(ids[i]);
    arr += ']';
    auto st = db.prepare(R"SQL(
SELECT t.id, coalesce(t.src_host_id,0), coalesce(sh.name,''), coalesce(t.src_ip,''), t.dst_host_id, dh.name,
       t.file_name, coalesce(t.dst_path,''), coalesce(t.src_path,''), t.method, t.direction,
       coalesce(CASE WHEN a.domain<>'' THEN a.domain||'\'||a.name ELSE a.name END,''),
       coalesce(t.src_process_id,0), coalesce(sp.image,''), t.first_ts, t.last_ts, t.confidence,
       t.confidence_label, t.executed, coalesce(t.dst_process_id,0), coalesce(dp.image,''), coalesce(dp.start_ts,0),
       coalesce((SELECT min(e.event) FROM transfer_evidence e WHERE e.transfer_id=t.id AND e.role='dst-exec'),0),
       coalesce(t.hashes,'')
FROM transfers t JOIN json_each(?1) j ON j.value = t.id
LEFT JOIN hosts sh ON sh.id = t.src_host_id
JOIN hosts dh ON dh.id = t.dst_host_id
LEFT JOIN accounts a ON a.id = t.account_id
LEFT JOIN processes sp ON sp.id = t.src_process_id
LEFT JOIN processes dp ON dp.id = t.dst_process_id
ORDER BY t.first_ts, t.id
)SQL");
    st.bind(1, std::string_view(arr));
    auto keyFor = [&](const QString &key, const QString &name, const KeyInfo &info) {
        if (!nodeIndex.contains(key)) {
            nodeIndex.insert(key, int(keyName.size()));
            keyName.push_back(name);
            keyInfo.push_back(info);
        }
        return key;
    };
    // The graph's unknown sources, read once and only when a hop has no source host.
    std::optional<UnknownSources> unknown;
    while (st.step()) {
        SpreadHop h;
        h.transferId = st.int64(0);
        const int64_t srcHost = st.int64(1);
        if (srcHost) {
            hopSrcKey.push_back(keyFor(QString::number(srcHost), qs(st, 2), {srcHost, 0, {}}));
        } else {
            // One node per distinct unknown source, named and split as the graph does (same
            // destination, account, address and session), never one for every unknown pusher.
            if (!unknown)
                unknown = queryUnknownSources(db);
            const UnknownSource *u = unknown->forTransfer(h.transferId);
            const QString srcIp = qs(st, 3);
            if (u)
                hopSrcKey.push_back(keyFor(QStringLiteral("u%1").arg(u->nodeId), u->name, {0, u->nodeId, u->detail}));
            else // a transfer stored after the grouping was read: by its address
                hopSrcKey.push_back(keyFor(QStringLiteral("ip|") + srcIp,
                    srcIp.isEmpty() ? unknownSourceName(nullptr)
                                    : unknownSourceName(nullptr) + QStringLiteral(" (%1)").arg(srcIp),
                    {0, 0, {}}));
        }
        const int64_t dstHost = st.int64(4);
        hopDstKey.push_back(keyFor(QString::number(dstHost), qs(st, 5), {dstHost, 0, {}}));
        h.fileName = qs(st, 6);
        h.dstPath = qs(st, 7);
        h.srcPath = qs(st, 8);
        h.method = qs(st, 9);
        h.direction = qs(st, 10);
        h.account = qs(st, 11);
        h.srcProcessId = st.int64(12);
        h.srcProcess = qs(st, 13);
        h.firstTs = st.int64(14);
        h.lastTs = st.int64(15);
        h.confidence = st.real(16);
        h.confidenceLabel = qs(st, 17);
        h.executed = st.int64(18) != 0;
        h.dstProcessId = st.int64(19);
        h.dstProcess = qs(st, 20);
        h.execTs = st.int64(21);
        h.execEvent = st.int64(22);
        h.hashes = qs(st, 23);
        r.hops.push_back(std::move(h));
    }
}

// The chronological sweep: a source not yet holding the file is a root; a destination reached
// for the first time hangs under the hop's source.
void buildTree(SpreadResult &r, const std::vector<QString> &hopSrcKey, const std::vector<QString> &hopDstKey,
    const QHash<QString, int> &keyIndex, const std::vector<QString> &keyName, const std::vector<KeyInfo> &keyInfo)
{
    std::vector<int> nodeOfKey(keyName.size(), -1);
    auto node = [&](const QString &key, int64_t ts) {
        const int k = keyIndex.value(key);
        if (nodeOfKey[size_t(k)] < 0) {
            SpreadNode n;
            n.hostId = keyInfo[size_t(k)].host;
            n.unknownNode = keyInfo[size_t(k)].unknownNode;
            n.detail = keyInfo[size_t(k)].detail;
            n.name = keyName[size_t(k)];
            n.firstSeen = ts;
            nodeOfKey[size_t(k)] = int(r.nodes.size());
            r.nodes.push_back(std::move(n));
            return std::pair {nodeOfKey[size_t(k)], true};
        }
        return std::pair {nodeOfKey[size_t(k)], false};
    };
    for (size_t i = 0; i < r.hops.size(); ++i) {
        SpreadHop &h = r.hops[i];
        h.src = node(hopSrcKey[i], h.firstTs).first;
        const auto [dst, fresh] = node(hopDstKey[i], h.firstTs);
        h.dst = dst;
        SpreadNode &d = r.nodes[size_t(dst)];
        ++d.inbound;
        if (fresh && dst != h.src) {
            h.treeEdge = true;
            d.parent = h.src;
            d.via = int(i);
            d.depth = r.nodes[size_t(h.src)].depth + 1;
            r.nodes[size_t(h.src)].children.push_back(dst);
        }
    }
    r.patientZero = r.nodes.empty() ? -1 : 0;
    // Rows: every root in first-seen order, each followed by its subtree (children were appended
    // in time order).
    std::vector<int> stack;
    for (int i = int(r.nodes.size()) - 1; i >= 0; --i)
        if (r.nodes[size_t(i)].parent < 0)
            stack.push_back(i);
    while (!stack.empty()) {
        const int n = stack.back();
        stack.pop_back();
        r.order.push_back(n);
        const auto &ch = r.nodes[size_t(n)].children;
        stack.insert(stack.end(), ch.rbegin(), ch.rend()); // the first child on top
    }
}

// Where it ran: the execution rule's verdict on an inbound hop first; else a process on the host
// whose image is the file at a path it was seen at (or carries one of its hashes), started no
// earlier than the host had it. That catches the origin's own runs and late runs the inference
// window leaves out.
void findExecutions(sql::Db &db, SpreadResult &r, const QSet<QString> &hashes)
{
    for (const SpreadHop &h : r.hops)
        if (h.executed) {
            SpreadNode &n = r.nodes[size_t(h.dst)];
            if (n.ran && n.ranTs && h.execTs >= n.ranTs)
                continue;
            n.ran = true;
            n.ranTs = h.execTs ? h.execTs : h.firstTs;
            n.ranProcessId = h.dstProcessId;
            n.ranEvent = h.execEvent;
            n.ranHow = QStringLiteral("executed by %1 (transfer %2)")
                           .arg(h.dstProcess.isEmpty() ? QStringLiteral("a process") : h.dstProcess,
                               QString::number(h.transferId));
        }
    QSet<QString> names;
    for (const SpreadHop &h : r.hops)
        names.insert(h.fileName.toLower());
    auto st
        = db.prepare("SELECT p.id, p.image, coalesce(p.start_ts,0), p.event, coalesce(ph.hashes,'') FROM processes p "
                     "LEFT JOIN process_hashes ph ON ph.id = p.hashes_id "
                     "WHERE p.host_id = ?1 AND p.image IS NOT NULL AND length(p.image) >= ?3 "
                     "AND lower(substr(p.image, CAST(length(p.image) - ?3 + 1 AS INTEGER))) = ?2 "
                     "ORDER BY p.start_ts, p.id");
    for (SpreadNode &n : r.nodes) {
        if (n.ran || !n.hostId)
            continue;
        const int idx = int(&n - r.nodes.data());
        QSet<QString> paths; // where the file was seen on this host
        for (const SpreadHop &h : r.hops) {
            if (h.dst == idx && !h.dstPath.isEmpty())
                paths.insert(h.dstPath.toLower());
            if (h.src == idx && !h.srcPath.isEmpty())
                paths.insert(h.srcPath.toLower());
        }
        for (const QString &name : names) {
            const std::string key = name.toStdString();
            st.reset();
            st.bind(1, n.hostId);
            st.bind(2, std::string_view(key));
            st.bind(3, int64_t(key.size()));
            while (st.step()) {
                const QString image = qs(st, 1);
                const int64_t ts = st.int64(2);
                const QSet<QString> ph = hashValues(qs(st, 4));
                const bool byHash = !ph.isEmpty() && ph.intersects(hashes);
                const bool byPath = paths.contains(image.toLower()) && (ph.isEmpty() || hashes.isEmpty() || byHash);
                // The origin had the file before any hop: its runs count from any time.
                const bool inTime = n.received() ? ts >= n.firstSeen : true;
                if (inTime && (byHash || byPath) && baseName(image).toLower() == name) {
                    n.ran = true;
                    n.ranTs = ts;
                    n.ranProcessId = st.int64(0);
                    n.ranEvent = st.int64(3);
                    n.ranHow = QStringLiteral("process %1 (%2)")
                                   .arg(image, byHash ? QStringLiteral("same hash") : QStringLiteral("same path"));
                    break;
                }
            }
            if (n.ran)
                break;
        }
    }
}

void collectVariants(SpreadResult &r)
{
    std::map<QString, size_t> byName; // case-folded name -> variant
    for (const SpreadHop &h : r.hops) {
        const QString key = h.fileName.toLower();
        auto it = byName.find(key);
        if (it == byName.end()) {
            it = byName.emplace(key, r.variants.size()).first;
            r.variants.push_back({h.fileName, 0, {}, {}});
        }
        SpreadVariant &v = r.variants[it->second];
        ++v.transfers;
        if (!h.dstPath.isEmpty() && !v.paths.contains(h.dstPath))
            v.paths << h.dstPath;
        if (!h.hashes.isEmpty() && !v.hashes.contains(h.hashes))
            v.hashes << h.hashes;
    }
}

SpreadResult build(sql::Db &db, SpreadResult r, const std::vector<int64_t> &ids, const QSet<QString> &hashes)
{
    QHash<QString, int> keyIndex;
    std::vector<QString> hopSrc, hopDst, keyName;
    std::vector<KeyInfo> keyInfo;
    loadHops(db, ids, r, keyIndex, hopSrc, hopDst, keyName, keyInfo);
    if (r.hops.empty()) { // matched rows whose destination host is gone (a damaged case)
        r.match = SpreadMatch::None;
        r.error = QStringLiteral("the transfers of %1 name no known destination host").arg(r.query);
        return r;
    }
    buildTree(r, hopSrc, hopDst, keyIndex, keyName, keyInfo);
    findExecutions(db, r, hashes);
    collectVariants(r);
    return r;
}

// Matching from seeds (the transfers the question names): their hash identity when they have
// one (the earliest seed's when several files share the name), plus copies that carry no hash
// under a name the file had; by name when none of them has a hash.
SpreadResult spreadFromSeeds(sql::Db &db, SpreadResult r, const std::vector<Candidate> &seeds)
{
    QSet<QString> values;
    for (const Candidate &c : seeds)
        if (!c.hashes.isEmpty()) {
            values = c.hashes;
            break;
        }
    std::vector<int64_t> ids;
    if (values.isEmpty()) {
        r.match = SpreadMatch::Name;
        r.matchedOn = seeds.front().name;
        for (const Candidate &c : candidatesNamed(db, r.matchedOn))
            ids.push_back(c.id);
        return build(db, std::move(r), ids, {});
    }
    r.match = SpreadMatch::Hash;
    const std::vector<Candidate> same = closeOverHashes(db, values);
    QHash<QString, QString> labels;
    std::vector<QString> names; // every name the file was copied under
    for (const Candidate &c : same) {
        hashValues(c.hashesText, &labels);
        ids.push_back(c.id);
        if (std::none_of(names.begin(), names.end(), [&](const QString &n) { return sameName(c, n); }))
            names.push_back(c.name);
    }
    QStringList shown(labels.begin(), labels.end());
    shown.sort();
    r.matchedOn = shown.join(QLatin1Char(','));
    QSet<int64_t> byName;
    QSet<QString> others;
    for (const QString &name : names)
        for (const Candidate &c : candidatesNamed(db, name)) {
            if (c.hashes.isEmpty()) {
                if (!byName.contains(c.id))
                    ids.push_back(c.id);
                byName.insert(c.id);
            } else if (!c.hashes.intersects(values)) {
                others.insert(c.hashesText);
            }
        }
    r.otherFiles = QStringList(others.begin(), others.end());
    r.otherFiles.sort();
    SpreadResult out = build(db, std::move(r), ids, values);
    for (SpreadHop &h : out.hops)
        h.byName = byName.contains(h.transferId);
    return out;
}

} // namespace

std::vector<int> SpreadResult::ranOn() const
{
    std::vector<int> out;
    for (int n : order)
        if (nodes[size_t(n)].ran)
            out.push_back(n);
    return out;
}

std::vector<int> SpreadResult::receivedNeverRan() const
{
    std::vector<int> out;
    for (int n : order)
        if (nodes[size_t(n)].received() && !nodes[size_t(n)].ran)
            out.push_back(n);
    return out;
}

QString spreadMatchName(SpreadMatch m)
{
    switch (m) {
    case SpreadMatch::Hash:
        return QStringLiteral("hash");
    case SpreadMatch::Name:
        return QStringLiteral("name");
    case SpreadMatch::None:
        break;
    }
    return QStringLiteral("none");
}

SpreadResult querySpread(store::CaseStore &store, const QString &file)
{
    return querySpread(store.db(), file);
}

SpreadResult querySpread(sql::Db &db, const QString &file)
{
    SpreadResult r;
    r.query = file;
    const QString q = file.trimmed();
    if (q.isEmpty()) {
        r.error = QStringLiteral("no file given");
        return r;
    }
    if (looksLikeHash(q)) {
        QSet<QString> values = hashValues(q);
        const std::vector<Candidate> same = closeOverHashes(db, values);
        if (!same.empty())
            return spreadFromSeeds(db, std::move(r), same);
        r.error = QStringLiteral("no transfer of a file with hash %1 in this case").arg(q);
        return r;
    }
    const QString name = baseName(q);
    const bool isPath = name.size() != q.size();
    const std::vector<Candidate> seeds = candidatesNamed(db, name);
    if (seeds.empty()) {
        r.error = QStringLiteral("no transfer of a file named '%1' in this case").arg(name);
        return r;
    }
    std::vector<Candidate> atPath;
    for (const Candidate &c : seeds)
        if (isPath && (samePath(c.dstPath, q, c.isLinux) || samePath(c.srcPath, q, c.isLinux)))
            atPath.push_back(c);
    return spreadFromSeeds(db, std::move(r), atPath.empty() ? seeds : atPath);
}

SpreadResult querySpreadForTransfer(store::CaseStore &store, int64_t transferId)
{
    return querySpreadForTransfer(store.db(), transferId);
}

SpreadResult querySpreadForTransfer(sql::Db &db, int64_t transferId)
{
    SpreadResult r;
    r.query = QStringLiteral("transfer %1").arg(transferId);
    const std::vector<Candidate> seed = candidateById(db, transferId);
    if (!seed.empty())
        return spreadFromSeeds(db, std::move(r), seed);
    r.error = QStringLiteral("transfer %1 is not in this case").arg(transferId);
    return r;
}

} // namespace tt
