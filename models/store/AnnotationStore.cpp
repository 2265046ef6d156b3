#include "store/AnnotationStore.h"

#include "store/CaseStore.h"
#include "store/Schema.h"
#include "store/Sqlite.h"

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QString>
#include <QTimeZone>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <optional>
#include <stdexcept>

namespace tt::store {

namespace {

constexpr TargetKind kKinds[]
    = {TargetKind::Host, TargetKind::Transfer, TargetKind::Event, TargetKind::Process, TargetKind::Account};

int64_t nowUs()
{
    return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// One committed, durable write: synchronous=FULL for this transaction (the COMMIT fsyncs the
// WAL), the connection's previous level restored afterwards. See AnnotationStore.h.
class DurableWrite {
public:
    explicit DurableWrite(sql::Db &db)
        : m_db(db)
    {
        // A server commits durably already (synchronous_commit): nothing to raise there.
        m_prev = m_db.isPostgres() ? 2 : m_db.queryInt("PRAGMA synchronous", 2);
        if (m_prev < 2)
            m_db.exec("PRAGMA synchronous=FULL");
        try {
            m_tx.emplace(m_db);
        } catch (...) {
            restore();
            throw;
        }
    }
    ~DurableWrite()
    {
        m_tx.reset(); // rolls back unless committed
        restore();
    }
    DurableWrite(const DurableWrite &) = delete;
    DurableWrite &operator=(const DurableWrite &) = delete;
    void commit() { m_tx->commit(); }

private:
    void restore() noexcept
    {
        if (m_prev >= 2)
            return;
        try {
            m_db.exec(m_prev == 0 ? "PRAGMA synchronous=OFF" : "PRAGMA synchronous=NORMAL");
        } catch (...) {
        }
    }
    sql::Db &m_db;
    int64_t m_prev = 2;
    std::optional<sql::Transaction> m_tx;
};

std::vector<int64_t> parseIdList(std::string_view s)
{
    std::vector<int64_t> out;
    int64_t v = 0;
    bool any = false;
    for (char c : s) {
        if (c >= '0' && c <= '9') {
            v = v * 10 + (c - '0');
            any = true;
        } else {
            if (any)
                out.push_back(v);
            v = 0;
            any = false;
        }
    }
    if (any)
        out.push_back(v);
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

std::string lowerHex(std::string_view c)
{
    std::string out(c);
    for (char &ch : out)
        if (ch >= 'A' && ch <= 'F')
            ch = static_cast<char>(ch - 'A' + 'a');
    return out;
}

// A display name (tag or view): trimmed, non-empty, no control characters, at most max code points.
std::optional<std::string> normalizeName(std::string_view name, size_t max)
{
    const QString s = QString::fromUtf8(name.data(), static_cast<qsizetype>(name.size())).trimmed();
    if (s.isEmpty() || s.contains(QChar::ReplacementCharacter))
        return std::nullopt;
    const auto ucs = s.toUcs4();
    if (static_cast<size_t>(ucs.size()) > max)
        return std::nullopt;
    for (char32_t c : ucs)
        if (c < 0x20 || (c >= 0x7f && c < 0xa0) || c == 0x2028 || c == 0x2029)
            return std::nullopt;
    return s.toStdString();
}

void requireJson(const std::string &text, const char *what)
{
    if (text.empty())
        return;
    QJsonParseError err {};
    QJsonDocument::fromJson(QByteArray(text.data(), static_cast<qsizetype>(text.size())), &err);
    if (err.error != QJsonParseError::NoError)
        throw std::invalid_argument(std::string("saved view: ") + what + " is not valid JSON");
}

const char *const kAnnotationColumns
    = "SELECT a.id, a.target_kind, a.target_key, a.label, a.note, a.note_format, a.bookmarked, a.author, "
      "a.created_utc, a.modified_utc, (SELECT group_concat(tag_id) FROM annotation_tags t WHERE t.annotation_id = "
      "a.id), a.version "
      "FROM annotations a ";

std::optional<Annotation> readAnnotation(const sql::Stmt &st)
{
    const auto kind = targetKindFromName(st.textView(1));
    if (!kind)
        return std::nullopt; // a value this build does not know (hand-edited file): skipped
    Annotation a;
    a.id = st.int64(0);
    a.kind = *kind;
    a.key = st.text(2);
    a.label = st.text(3);
    a.note = st.text(4);
    a.markdown = st.textView(5) == "markdown";
    a.bookmarked = st.int64(6) != 0;
    a.author = st.text(7);
    a.createdUs = st.int64(8);
    a.modifiedUs = st.int64(9);
    a.tagIds = parseIdList(st.textView(10));
    a.version = st.int64(11);
    return a;
}

constexpr const char *kMetaKeys[] = {"title", "analyst", "description", "display_tz"};

// Every tag id must name a tag (the caller's write transaction is open).
void requireTags(sql::Db &db, const std::vector<int64_t> &tagIds)
{
    auto known = db.prepare("SELECT 1 FROM tags WHERE id = ?");
    for (int64_t t : tagIds) {
        known.bind(1, t);
        const bool ok = known.step();
        known.reset();
        if (!ok)
            throw std::invalid_argument("no tag with id " + std::to_string(t));
    }
}

// The nine values of a new annotations row, in the column order both INSERTs use: target_kind,
// target_key, label, note, note_format, bookmarked, author, created_utc, modified_utc.
void bindNewAnnotation(sql::Stmt &ins, std::string_view kind, const Annotation &a, int64_t now)
{
    ins.bind(1, kind)
        .bind(2, a.key)
        .bind(3, a.label)
        .bind(4, a.note)
        .bind(5, std::string_view(a.markdown ? "markdown" : "plain"))
        .bind(6, a.bookmarked ? 1 : 0)
        .bind(7, a.author)
        .bind(8, now)
        .bind(9, now);
}

} // namespace

const char *targetKindName(TargetKind k)
{
    switch (k) {
    case TargetKind::Host:
        return "host";
    case TargetKind::Transfer:
        return "transfer";
    case TargetKind::Event:
        return "event";
    case TargetKind::Process:
        return "process";
    case TargetKind::Account:
        return "account";
    }
    return "host";
}

std::optional<TargetKind> targetKindFromName(std::string_view name)
{
    for (TargetKind k : kKinds)
        if (name == targetKindName(k))
            return k;
    return std::nullopt;
}

bool Annotation::empty() const
{
    return note.empty() && tagIds.empty() && !bookmarked;
}

AnnotationStore::AnnotationStore(CaseStore &store)
    : AnnotationStore(store.db())
{
}

AnnotationStore::AnnotationStore(sql::Db &db)
    : m_db(db)
{
}

bool AnnotationStore::validColor(std::string_view c)
{
    if (c.size() != 7 || c[0] != '#')
        return false;
    for (char ch : c.substr(1))
        if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F')))
            return false;
    return true;
}

std::optional<std::string> AnnotationStore::normalizeTagName(std::string_view name)
{
    return normalizeName(name, kMaxTagName);
}

bool AnnotationStore::validTimeZone(const std::string &ianaId)
{
    if (ianaId.empty())
        return true;
    return QTimeZone::isTimeZoneIdAvailable(QByteArray(ianaId.data(), static_cast<qsizetype>(ianaId.size())));
}

// ---- tags -------------------------------------------------------------------------------------

std::vector<Tag> AnnotationStore::tags()
{
    std::vector<Tag> out;
    auto st = m_db.prepare("SELECT id, name, color, builtin FROM tags ORDER BY builtin DESC, name COLLATE NOCASE, id");
    while (st.step())
        out.push_back({st.int64(0), st.text(1), st.text(2), st.int64(3) != 0});
    return out;
}

std::optional<Tag> AnnotationStore::tagByName(const std::string &name)
{
    const auto n = normalizeTagName(name);
    if (!n)
        return std::nullopt;
    auto st = m_db.prepare("SELECT id, name, color, builtin FROM tags WHERE name = ? COLLATE NOCASE");
    st.bind(1, *n);
    if (!st.step())
        return std::nullopt;
    return Tag {st.int64(0), st.text(1), st.text(2), st.int64(3) != 0};
}

int64_t AnnotationStore::addTag(const std::string &name, const std::string &color)
{
    const auto n = normalizeTagName(name);
    if (!n)
        throw std::invalid_argument("a tag name must be 1 to 64 characters without control characters");
    if (!validColor(color))
        throw std::invalid_argument("a tag colour must be #rrggbb");
    DurableWrite w(m_db);
    auto dup = m_db.prepare("SELECT 1 FROM tags WHERE name = ? COLLATE NOCASE");
    dup.bind(1, *n);
    if (dup.step())
        throw std::invalid_argument("a tag named '" + *n + "' already exists");
    auto ins = m_db.prepareInsert("INSERT INTO tags(name, color, builtin, created_utc) VALUES(?, ?, 0, ?)");
    ins.bind(1, *n).bind(2, lowerHex(color)).bind(3, nowUs());
    const int64_t id = ins.execInsert();
    w.commit();
    return id;
}

void AnnotationStore::updateTag(int64_t id, const std::string &name, const std::string &color)
{
    const auto n = normalizeTagName(name);
    if (!n)
        throw std::invalid_argument("a tag name must be 1 to 64 characters without control characters");
    if (!validColor(color))
        throw std::invalid_argument("a tag colour must be #rrggbb");
    DurableWrite w(m_db);
    auto cur = m_db.prepare("SELECT name, builtin FROM tags WHERE id = ?");
    cur.bind(1, id);
    if (!cur.step())
        throw std::invalid_argument("no tag with id " + std::to_string(id));
    const bool builtin = cur.int64(1) != 0;
    const std::string oldName = cur.text(0);
    cur.reset();
    if (builtin && *n != oldName)
        throw std::invalid_argument("built-in tag '" + oldName + "' can be recoloured but not renamed");
    auto dup = m_db.prepare("SELECT 1 FROM tags WHERE name = ? COLLATE NOCASE AND id <> ?");
    dup.bind(1, *n).bind(2, id);
    if (dup.step())
        throw std::invalid_argument("a tag named '" + *n + "' already exists");
    auto up = m_db.prepare("UPDATE tags SET name = ?, color = ? WHERE id = ?");
    up.bind(1, *n).bind(2, lowerHex(color)).bind(3, id);
    up.exec();
    w.commit();
}

void AnnotationStore::deleteTag(int64_t id)
{
    DurableWrite w(m_db);
    auto cur = m_db.prepare("SELECT name, builtin FROM tags WHERE id = ?");
    cur.bind(1, id);
    if (!cur.step())
        throw std::invalid_argument("no tag with id " + std::to_string(id));
    if (cur.int64(1) != 0)
        throw std::invalid_argument("built-in tag '" + cur.text(0) + "' cannot be deleted");
    cur.reset();
    auto detach = m_db.prepare("DELETE FROM annotation_tags WHERE tag_id = ?");
    detach.bind(1, id);
    detach.exec();
    // An annotation that held only this tag is now empty: empty annotations have no row.
    m_db.exec("DELETE FROM annotations WHERE note = '' AND bookmarked = 0 AND NOT EXISTS "
              "(SELECT 1 FROM annotation_tags t WHERE t.annotation_id = annotations.id)");
    auto del = m_db.prepare("DELETE FROM tags WHERE id = ?");
    del.bind(1, id);
    del.exec();
    w.commit();
}

// ---- annotations ------------------------------------------------------------------------------

std::vector<int64_t> AnnotationStore::tagIdsOf(int64_t annotationId)
{
    std::vector<int64_t> out;
    auto st = m_db.prepare("SELECT tag_id FROM annotation_tags WHERE annotation_id = ? ORDER BY tag_id");
    st.bind(1, annotationId);
    while (st.step())
        out.push_back(st.int64(0));
    return out;
}

std::optional<Annotation> AnnotationStore::find(TargetKind kind, const std::string &key)
{
    auto st = m_db.prepare(std::string(kAnnotationColumns) + "WHERE a.target_kind = ? AND a.target_key = ?");
    st.bind(1, std::string_view(targetKindName(kind))).bind(2, key);
    if (!st.step())
        return std::nullopt;
    return readAnnotation(st);
}

Annotation AnnotationStore::put(const Annotation &in)
{
    if (in.key.empty())
        throw std::invalid_argument("an annotation needs a target key");
    Annotation a = in;
    std::sort(a.tagIds.begin(), a.tagIds.end());
    a.tagIds.erase(std::unique(a.tagIds.begin(), a.tagIds.end()), a.tagIds.end());
    if (a.empty()) {
        remove(a.kind, a.key);
        Annotation gone;
        gone.kind = a.kind;
        gone.key = a.key;
        gone.label = a.label;
        return gone;
    }
    if (a.author.empty())
        a.author = meta().analyst;
    DurableWrite w(m_db);
    requireTags(m_db, a.tagIds);
    const std::string_view kind = targetKindName(a.kind);
    const int64_t now = nowUs();
    int64_t id = 0;
    {
        auto cur = m_db.prepare("SELECT id, modified_utc FROM annotations WHERE target_kind = ? AND target_key = ?");
        cur.bind(1, kind).bind(2, a.key);
        if (cur.step()) {
            id = cur.int64(0);
            const int64_t modified = std::max(now, cur.int64(1));
            cur.reset();
            auto up = m_db.prepare("UPDATE annotations SET label = ?, note = ?, note_format = ?, bookmarked = ?, "
                                   "author = ?, modified_utc = ?, version = version + 1 WHERE id = ?");
            up.bind(1, a.label)
                .bind(2, a.note)
                .bind(3, std::string_view(a.markdown ? "markdown" : "plain"))
                .bind(4, a.bookmarked ? 1 : 0)
                .bind(5, a.author)
                .bind(6, modified)
                .bind(7, id);
            up.exec();
        } else {
            cur.reset();
            auto ins = m_db.prepareInsert(
                "INSERT INTO annotations(target_kind, target_key, label, note, "
                "note_format, bookmarked, author, created_utc, modified_utc) VALUES(?,?,?,?,?,?,?,?,?)");
            bindNewAnnotation(ins, kind, a, now);
            id = ins.execInsert();
        }
    }
    auto clear = m_db.prepare("DELETE FROM annotation_tags WHERE annotation_id = ?");
    clear.bind(1, id);
    clear.exec();
    auto link = m_db.prepare("INSERT INTO annotation_tags(annotation_id, tag_id) VALUES(?, ?)");
    for (int64_t t : a.tagIds) {
        link.bind(1, id).bind(2, t);
        link.exec();
    }
    w.commit();
    auto stored = find(a.kind, a.key);
    if (!stored)
        throw std::runtime_error("annotation vanished after it was written");
    return *stored;
}

AnnotationStore::Merge AnnotationStore::merge3(const Annotation &base, const Annotation &mine, const Annotation &theirs)
{
    Merge m;
    m.merged = theirs;
    m.merged.kind = mine.kind;
    m.merged.key = mine.key;
    // One field at a time: what only one side changed comes from that side.
    const bool mineNote = mine.note != base.note || mine.markdown != base.markdown;
    const bool theirsNote = theirs.note != base.note || theirs.markdown != base.markdown;
    if (mineNote && !theirsNote) {
        m.merged.note = mine.note;
        m.merged.markdown = mine.markdown;
    } else if (mineNote && theirsNote && !mine.note.empty()
        && (mine.note != theirs.note || mine.markdown != theirs.markdown)) {
        // Both wrote a note: theirs stays, the caller keeps mine as a conflict copy. (Mine
        // clearing the note while they rewrote it loses nothing: theirs stays.)
        m.noteConflict = true;
    }
    if (mine.bookmarked != base.bookmarked)
        m.merged.bookmarked = mine.bookmarked;
    if (mine.label != base.label && theirs.label == base.label)
        m.merged.label = mine.label;
    if (m.merged.label.empty())
        m.merged.label = mine.label;
    // Tags as sets: theirs, plus what mine added, minus what mine removed.
    auto has = [](const std::vector<int64_t> &v, int64_t t) { return std::find(v.begin(), v.end(), t) != v.end(); };
    std::vector<int64_t> tags;
    for (int64_t t : theirs.tagIds)
        if (has(mine.tagIds, t) || !has(base.tagIds, t))
            tags.push_back(t);
    for (int64_t t : mine.tagIds)
        if (!has(base.tagIds, t) && !has(tags, t))
            tags.push_back(t);
    std::sort(tags.begin(), tags.end());
    m.merged.tagIds = std::move(tags);
    return m;
}

AnnotationStore::PutOutcome AnnotationStore::putFrom(const Annotation &base, const Annotation &in)
{
    if (in.key.empty())
        throw std::invalid_argument("an annotation needs a target key");
    Annotation mine = in;
    std::sort(mine.tagIds.begin(), mine.tagIds.end());
    mine.tagIds.erase(std::unique(mine.tagIds.begin(), mine.tagIds.end()), mine.tagIds.end());
    if (mine.author.empty())
        mine.author = meta().analyst;
    const std::string_view kind = targetKindName(mine.kind);
    // A concurrent writer can change the row between our read and our compare-and-set write (a
    // server case's READ COMMITTED); each lost race re-reads and merges again.
    for (int attempt = 0; attempt < 16; ++attempt) {
        PutOutcome out;
        DurableWrite w(m_db);
        requireTags(m_db, mine.tagIds);
        const std::optional<Annotation> cur = find(mine.kind, mine.key);
        const int64_t curVersion = cur ? cur->version : 0;
        Annotation target = mine;
        if (curVersion != base.version) {
            out.merged = true;
            Annotation theirs;
            if (cur)
                theirs = *cur;
            theirs.kind = mine.kind;
            theirs.key = mine.key;
            Merge m = merge3(base, mine, theirs);
            target = std::move(m.merged);
            target.author = mine.author;
            if (m.noteConflict) {
                std::string ids;
                for (int64_t t : mine.tagIds)
                    ids += (ids.empty() ? "" : ",") + std::to_string(t);
                auto copy = m_db.prepare("INSERT INTO annotation_conflicts(target_kind, target_key, label, note, "
                                         "note_format, bookmarked, tag_ids, author, base_version, created_utc) "
                                         "VALUES(?,?,?,?,?,?,?,?,?,?) RETURNING id");
                copy.bind(1, kind)
                    .bind(2, mine.key)
                    .bind(3, mine.label)
                    .bind(4, mine.note)
                    .bind(5, std::string_view(mine.markdown ? "markdown" : "plain"))
                    .bind(6, mine.bookmarked ? 1 : 0)
                    .bind(7, ids)
                    .bind(8, mine.author)
                    .bind(9, base.version)
                    .bind(10, nowUs());
                if (copy.step())
                    out.conflictCopyId = copy.int64(0);
            }
        }
        const int64_t now = nowUs();
        int64_t id = cur ? cur->id : 0;
        bool won = false;
        const bool unchanged = cur && target.note == cur->note && target.markdown == cur->markdown
            && target.bookmarked == cur->bookmarked && target.label == cur->label && target.tagIds == cur->tagIds;
        if (out.merged && unchanged) {
            // The merge is their state (this edit's note is a conflict copy, or it changed nothing
            // they had not): the row is not written again, so its version stays theirs.
            w.commit();
            out.stored = cur;
            return out;
        }
        if (target.empty()) {
            if (!cur) {
                won = true;
            } else {
                auto tagsOf = m_db.prepare(
                    "DELETE FROM annotation_tags WHERE annotation_id IN (SELECT id FROM annotations WHERE id = ? AND "
                    "version = ?)");
                tagsOf.bind(1, id).bind(2, curVersion);
                tagsOf.exec();
                auto del = m_db.prepare("DELETE FROM annotations WHERE id = ? AND version = ?");
                del.bind(1, id).bind(2, curVersion);
                del.exec();
                won = m_db.changes() == 1;
            }
            id = 0;
        } else if (cur) {
            auto up = m_db.prepare("UPDATE annotations SET label = ?, note = ?, note_format = ?, bookmarked = ?, "
                                   "author = ?, modified_utc = ?, version = version + 1 WHERE id = ? AND version = ?");
            up.bind(1, target.label)
                .bind(2, target.note)
                .bind(3, std::string_view(target.markdown ? "markdown" : "plain"))
                .bind(4, target.bookmarked ? 1 : 0)
                .bind(5, target.author)
                .bind(6, std::max(now, cur->modifiedUs))
                .bind(7, id)
                .bind(8, curVersion);
            up.exec();
            won = m_db.changes() == 1;
        } else {
            // Two sessions may create the first annotation of an item at once: the unique
            // (target_kind, target_key) decides, the loser retries as an edit of the winner's.
            auto ins = m_db.prepare("INSERT INTO annotations(target_kind, target_key, label, note, note_format, "
                                    "bookmarked, author, created_utc, modified_utc) VALUES(?,?,?,?,?,?,?,?,?) "
                                    "ON CONFLICT(target_kind, target_key) DO NOTHING RETURNING id");
            bindNewAnnotation(ins, kind, target, now);
            won = ins.step();
            if (won)
                id = ins.int64(0);
        }
        if (!won)
            continue; // rolled back by ~DurableWrite (the conflict copy too): read again
        if (id > 0) {
            auto clear = m_db.prepare("DELETE FROM annotation_tags WHERE annotation_id = ?");
            clear.bind(1, id);
            clear.exec();
            auto link = m_db.prepare("INSERT INTO annotation_tags(annotation_id, tag_id) VALUES(?, ?)");
            for (int64_t t : target.tagIds) {
                link.bind(1, id).bind(2, t);
                link.exec();
            }
        }
        w.commit();
        out.stored = find(mine.kind, mine.key);
        return out;
    }
    throw std::runtime_error("the annotation kept changing under this edit; try again");
}

std::vector<Annotation> AnnotationStore::conflictCopies()
{
    std::vector<Annotation> out;
    if (!hasTable(m_db, "annotation_conflicts"))
        return out;
    auto st = m_db.prepare("SELECT id, target_kind, target_key, label, note, note_format, bookmarked, author, "
                           "created_utc, created_utc, tag_ids, base_version FROM annotation_conflicts "
                           "ORDER BY created_utc DESC, id DESC");
    while (st.step()) {
        auto a = readAnnotation(st);
        if (!a)
            continue;
        a->conflictCopy = true;
        out.push_back(std::move(*a));
    }
    return out;
}

void AnnotationStore::removeConflictCopy(int64_t id)
{
    DurableWrite w(m_db);
    auto del = m_db.prepare("DELETE FROM annotation_conflicts WHERE id = ?");
    del.bind(1, id);
    del.exec();
    w.commit();
}

void AnnotationStore::remove(TargetKind kind, const std::string &key)
{
    DurableWrite w(m_db);
    auto tagsOf = m_db.prepare("DELETE FROM annotation_tags WHERE annotation_id IN "
                               "(SELECT id FROM annotations WHERE target_kind = ? AND target_key = ?)");
    tagsOf.bind(1, std::string_view(targetKindName(kind))).bind(2, key);
    tagsOf.exec();
    auto del = m_db.prepare("DELETE FROM annotations WHERE target_kind = ? AND target_key = ?");
    del.bind(1, std::string_view(targetKindName(kind))).bind(2, key);
    del.exec();
    w.commit();
}

std::vector<Annotation> AnnotationStore::list(const AnnotationFilter &f)
{
    auto st = m_db.prepare(std::string(kAnnotationColumns)
        // Typed parameters: a server must know the type of one that may be NULL.
        + "WHERE (CAST(?1 AS INTEGER) IS NULL OR EXISTS (SELECT 1 FROM annotation_tags t WHERE t.annotation_id = "
          "a.id AND t.tag_id = CAST(?1 AS INTEGER))) AND (?2 = 0 OR a.bookmarked <> 0) AND (CAST(?3 AS TEXT) IS "
          "NULL OR a.target_kind = CAST(?3 AS TEXT)) "
          "ORDER BY a.modified_utc DESC, a.id DESC");
    if (f.tagId)
        st.bind(1, *f.tagId);
    else
        st.bindNull(1);
    st.bind(2, f.bookmarkedOnly ? 1 : 0);
    if (f.kind)
        st.bind(3, std::string_view(targetKindName(*f.kind)));
    else
        st.bindNull(3);
    // Text matching in Qt (full Unicode case folding; SQLite's lower() folds ASCII only).
    const QString needle = QString::fromStdString(f.text);
    auto matches = [&](const std::string &s) {
        return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())).contains(needle, Qt::CaseInsensitive);
    };
    std::vector<Annotation> out;
    while (st.step()) {
        auto a = readAnnotation(st);
        if (!a)
            continue;
        if (!needle.isEmpty() && !matches(a->note) && !matches(a->label) && !matches(a->key))
            continue;
        out.push_back(std::move(*a));
    }
    return out;
}

// ---- saved views ------------------------------------------------------------------------------

std::vector<SavedView> AnnotationStore::views()
{
    std::vector<SavedView> out;
    auto st = m_db.prepare("SELECT id, name, filter_json, coalesce(positions_json,''), coalesce(viewport_json,''), "
                           "created_utc, modified_utc FROM saved_views ORDER BY name COLLATE NOCASE, id");
    while (st.step())
        out.push_back({st.int64(0), st.text(1), st.text(2), st.text(3), st.text(4), st.int64(5), st.int64(6)});
    return out;
}

SavedView AnnotationStore::saveView(const SavedView &v)
{
    const auto name = normalizeName(v.name, kMaxViewName);
    if (!name)
        throw std::invalid_argument("a view name must be 1 to 128 characters without control characters");
    requireJson(v.filterJson, "the filter");
    requireJson(v.positionsJson, "the node positions");
    requireJson(v.viewportJson, "the viewport");
    const int64_t now = nowUs();
    DurableWrite w(m_db);
    auto cur = m_db.prepare("SELECT id, modified_utc FROM saved_views WHERE name = ?");
    cur.bind(1, *name);
    if (cur.step()) {
        const int64_t id = cur.int64(0);
        const int64_t modified = std::max(now, cur.int64(1));
        cur.reset();
        auto up = m_db.prepare("UPDATE saved_views SET filter_json = ?, positions_json = ?, viewport_json = ?, "
                               "modified_utc = ? WHERE id = ?");
        up.bind(1, v.filterJson)
            .bindOptional(2, v.positionsJson)
            .bindOptional(3, v.viewportJson)
            .bind(4, modified)
            .bind(5, id);
        up.exec();
    } else {
        cur.reset();
        auto ins = m_db.prepare("INSERT INTO saved_views(name, filter_json, positions_json, viewport_json, "
                                "created_utc, modified_utc) VALUES(?,?,?,?,?,?)");
        ins.bind(1, *name)
            .bind(2, v.filterJson)
            .bindOptional(3, v.positionsJson)
            .bindOptional(4, v.viewportJson)
            .bind(5, now)
            .bind(6, now);
        ins.exec();
    }
    w.commit();
    for (SavedView &s : views())
        if (s.name == *name)
            return s;
    throw std::runtime_error("saved view vanished after it was written");
}

void AnnotationStore::renameView(int64_t id, const std::string &name)
{
    const auto n = normalizeName(name, kMaxViewName);
    if (!n)
        throw std::invalid_argument("a view name must be 1 to 128 characters without control characters");
    DurableWrite w(m_db);
    auto dup = m_db.prepare("SELECT 1 FROM saved_views WHERE name = ? AND id <> ?");
    dup.bind(1, *n).bind(2, id);
    if (dup.step())
        throw std::invalid_argument("a view named '" + *n + "' already exists");
    auto up = m_db.prepare("UPDATE saved_views SET name = ?1, modified_utc = CASE WHEN modified_utc > ?2 THEN "
                           "modified_utc ELSE ?2 END WHERE id = ?3");
    up.bind(1, *n).bind(2, nowUs()).bind(3, id);
    up.exec();
    if (m_db.changes() == 0)
        throw std::invalid_argument("no saved view with id " + std::to_string(id));
    w.commit();
}

void AnnotationStore::deleteView(int64_t id)
{
    DurableWrite w(m_db);
    auto del = m_db.prepare("DELETE FROM saved_views WHERE id = ?");
    del.bind(1, id);
    del.exec();
    w.commit();
}

// ---- node positions ---------------------------------------------------------------------------

std::map<std::string, std::pair<double, double>> AnnotationStore::nodePositions()
{
    std::map<std::string, std::pair<double, double>> out;
    auto st = m_db.prepare("SELECT host_name, x, y FROM node_positions");
    while (st.step())
        out[st.text(0)] = {st.real(1), st.real(2)};
    return out;
}

void AnnotationStore::setNodePosition(const std::string &host, double x, double y)
{
    if (host.empty())
        throw std::invalid_argument("a node position needs a host name");
    if (!std::isfinite(x) || !std::isfinite(y))
        throw std::invalid_argument("a node position must be finite");
    DurableWrite w(m_db);
    auto st = m_db.prepare("INSERT INTO node_positions(host_name, x, y) VALUES(?, ?, ?) ON CONFLICT(host_name) DO "
                           "UPDATE SET x = excluded.x, y = excluded.y");
    st.bind(1, host).bind(2, x).bind(3, y);
    st.exec();
    w.commit();
}

void AnnotationStore::clearNodePosition(const std::string &host)
{
    DurableWrite w(m_db);
    auto st = m_db.prepare("DELETE FROM node_positions WHERE host_name = ?");
    st.bind(1, host);
    st.exec();
    w.commit();
}

void AnnotationStore::clearNodePositions()
{
    DurableWrite w(m_db);
    m_db.exec("DELETE FROM node_positions");
    w.commit();
}

// ---- named host groups ------------------------------------------------------------------------

namespace {
std::string foldName(const std::string &s)
{
    return QString::fromStdString(s).toCaseFolded().toStdString();
}

void sortGroups(std::vector<HostGroup> &groups)
{
    for (HostGroup &g : groups) {
        std::sort(g.hosts.begin(), g.hosts.end());
        g.hosts.erase(std::unique(g.hosts.begin(), g.hosts.end()), g.hosts.end());
    }
    std::sort(groups.begin(), groups.end(), [](const HostGroup &a, const HostGroup &b) {
        const std::string fa = foldName(a.name), fb = foldName(b.name);
        return fa != fb ? fa < fb : a.name < b.name;
    });
}
} // namespace

std::vector<HostGroup> AnnotationStore::hostGroups()
{
    std::vector<HostGroup> out;
    std::map<int64_t, size_t> index;
    auto gs = m_db.prepare("SELECT id, name FROM host_groups ORDER BY id");
    while (gs.step()) {
        index.emplace(gs.int64(0), out.size());
        out.push_back(HostGroup {gs.text(1), {}});
    }
    auto ms = m_db.prepare("SELECT group_id, host_name FROM host_group_members ORDER BY host_name");
    while (ms.step())
        if (auto it = index.find(ms.int64(0)); it != index.end())
            out[it->second].hosts.push_back(ms.text(1));
    sortGroups(out);
    return out;
}

void AnnotationStore::setHostGroups(const std::vector<HostGroup> &groupsIn)
{
    std::vector<HostGroup> groups = groupsIn;
    std::map<std::string, std::string> names; // folded -> as given
    std::map<std::string, std::string> hostGroup; // host -> group
    for (HostGroup &g : groups) {
        const auto n = normalizeName(g.name, kMaxGroupName);
        if (!n)
            throw std::invalid_argument("a group name must be 1 to 128 characters without control characters");
        g.name = *n;
        if (!names.emplace(foldName(g.name), g.name).second)
            throw std::invalid_argument("two groups are named '" + g.name + "'");
        if (g.hosts.empty())
            throw std::invalid_argument("the group '" + g.name + "' has no hosts");
        for (const std::string &h : g.hosts) {
            if (h.empty())
                throw std::invalid_argument("a group member needs a host name");
            const auto [it, fresh] = hostGroup.emplace(h, g.name);
            if (!fresh && it->second != g.name)
                throw std::invalid_argument(
                    "the host '" + h + "' is in two groups ('" + it->second + "' and '" + g.name + "')");
        }
    }
    sortGroups(groups);
    const int64_t now = nowUs();
    DurableWrite w(m_db);
    m_db.exec("DELETE FROM host_group_members");
    m_db.exec("DELETE FROM host_groups");
    auto ins = m_db.prepare("INSERT INTO host_groups(id, name, created_utc) VALUES(?, ?, ?)");
    auto mem = m_db.prepare("INSERT INTO host_group_members(host_name, group_id) VALUES(?, ?)");
    int64_t id = 0;
    for (const HostGroup &g : groups) {
        ins.bind(1, ++id).bind(2, g.name).bind(3, now);
        ins.exec();
        for (const std::string &h : g.hosts) {
            mem.bind(1, h).bind(2, id);
            mem.exec();
        }
    }
    w.commit();
}

std::vector<HostGroup> AnnotationStore::withHostsGrouped(
    std::vector<HostGroup> groups, const std::string &name, const std::vector<std::string> &hosts)
{
    const std::string folded = foldName(QString::fromStdString(name).trimmed().toStdString());
    for (HostGroup &g : groups)
        std::erase_if(
            g.hosts, [&](const std::string &h) { return std::find(hosts.begin(), hosts.end(), h) != hosts.end(); });
    auto it
        = std::find_if(groups.begin(), groups.end(), [&](const HostGroup &g) { return foldName(g.name) == folded; });
    if (it == groups.end())
        groups.push_back(HostGroup {QString::fromStdString(name).trimmed().toStdString(), {}});
    it = std::find_if(groups.begin(), groups.end(), [&](const HostGroup &g) { return foldName(g.name) == folded; });
    it->hosts.insert(it->hosts.end(), hosts.begin(), hosts.end());
    std::erase_if(groups, [](const HostGroup &g) { return g.hosts.empty(); });
    sortGroups(groups);
    return groups;
}

std::vector<HostGroup> AnnotationStore::withGroupRenamed(
    std::vector<HostGroup> groups, const std::string &from, const std::string &to)
{
    const std::string f = foldName(from);
    for (HostGroup &g : groups)
        if (foldName(g.name) == f)
            g.name = QString::fromStdString(to).trimmed().toStdString();
    sortGroups(groups);
    return groups;
}

std::vector<HostGroup> AnnotationStore::withGroupDeleted(std::vector<HostGroup> groups, const std::string &name)
{
    const std::string f = foldName(name);
    std::erase_if(groups, [&](const HostGroup &g) { return foldName(g.name) == f; });
    return groups;
}

// ---- case metadata ----------------------------------------------------------------------------

CaseMeta AnnotationStore::meta()
{
    CaseMeta m;
    auto st = m_db.prepare("SELECT key, coalesce(value,'') FROM case_info WHERE key IN "
                           "('title','analyst','description','display_tz')");
    while (st.step()) {
        const std::string_view k = st.textView(0);
        std::string v = st.text(1);
        if (k == "title")
            m.title = std::move(v);
        else if (k == "analyst")
            m.analyst = std::move(v);
        else if (k == "description")
            m.description = std::move(v);
        else
            m.displayTz = std::move(v);
    }
    return m;
}

void AnnotationStore::setMeta(const CaseMeta &m)
{
    if (!validTimeZone(m.displayTz))
        throw std::invalid_argument("unknown time zone '" + m.displayTz + "' (use an IANA id such as Europe/Berlin)");
    const std::string *values[] = {&m.title, &m.analyst, &m.description, &m.displayTz};
    DurableWrite w(m_db);
    auto set = m_db.prepare(
        "INSERT INTO case_info(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    auto del = m_db.prepare("DELETE FROM case_info WHERE key = ?");
    for (size_t i = 0; i < std::size(kMetaKeys); ++i) {
        if (values[i]->empty()) {
            del.bind(1, std::string_view(kMetaKeys[i]));
            del.exec();
        } else {
            set.bind(1, std::string_view(kMetaKeys[i])).bind(2, *values[i]);
            set.exec();
        }
    }
    w.commit();
}

} // namespace tt::store
