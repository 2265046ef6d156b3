#pragma once

// The analyst's own work in a case (issue #5): notes, tags and bookmarks on hosts, transfers,
// events, processes and accounts; saved views; dragged node positions; case metadata.
//
// Durability: every write is one committed transaction and is on disk when the call returns.
// The case connection runs WAL with synchronous=NORMAL (fast imports; a commit survives a crash
// of the process but not necessarily a power cut until the next checkpoint). Each write here
// switches the connection to synchronous=FULL for its transaction, so its COMMIT fsyncs the WAL,
// and restores the previous level afterwards: one fsync per edit, instead of a full checkpoint
// (copy the WAL into the database, two fsyncs) per edit.
//
// Target keys are stable across re-import and re-inference: host -> hosts.name, transfer ->
// transfers.key (kTransferKeySql), event / process / account -> the row id as decimal text.
// Every string is bound, never interpolated; nothing here renders text (callers escape).
// Invalid input (bad colour, tag name, unknown tag id, empty key...) throws std::invalid_argument;
// SQLite failures (e.g. a read-only connection) throw sql::Error.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tt::sql {
class Db;
}

namespace tt::store {

class CaseStore;

enum class TargetKind { Host, Transfer, Event, Process, Account };
const char *targetKindName(TargetKind); // "host", "transfer", ... (the DB spelling)
std::optional<TargetKind> targetKindFromName(std::string_view);

struct Tag {
    int64_t id = 0;
    std::string name;
    std::string color; // "#rrggbb", lower-case
    bool builtin = false;
    bool operator==(const Tag &) const = default;
};

struct Annotation {
    int64_t id = 0;
    TargetKind kind = TargetKind::Host;
    std::string key;
    std::string label;
    std::string note;
    bool markdown = false;
    bool bookmarked = false;
    std::string author;
    int64_t createdUs = 0, modifiedUs = 0;
    std::vector<int64_t> tagIds; // sorted
    // Schema 10: how many times the row was written (1 after the first); 0 for an item without an
    // annotation. Edits are compare-and-set on it (putFrom). A conflict copy: the version it was
    // based on.
    int64_t version = 0;
    // A conflict copy (annotation_conflicts, id = its own id): the losing side of two analysts'
    // concurrent note edits, kept beside the annotation of (kind, key) and never merged into it.
    bool conflictCopy = false;
    bool empty() const; // no note, no tags, not bookmarked
    bool operator==(const Annotation &) const = default;
};

struct AnnotationFilter {
    std::optional<int64_t> tagId;
    std::string text; // case-insensitive substring of note, label or key (Unicode case folding)
    bool bookmarkedOnly = false;
    std::optional<TargetKind> kind;
};

struct SavedView {
    int64_t id = 0;
    std::string name, filterJson, positionsJson, viewportJson;
    int64_t createdUs = 0, modifiedUs = 0;
    bool operator==(const SavedView &) const = default;
};

// The analyst's named host group (schema 9): a name and the host names in it (sorted). A host is
// in at most one named group.
struct HostGroup {
    std::string name;
    std::vector<std::string> hosts;
    bool operator==(const HostGroup &) const = default;
};

struct CaseMeta {
    std::string title, analyst, description, displayTz; // displayTz: IANA id, "" = UTC
    bool operator==(const CaseMeta &) const = default;
};

class AnnotationStore {
public:
    explicit AnnotationStore(CaseStore &store);
    explicit AnnotationStore(sql::Db &db);

    static constexpr size_t kMaxTagName = 64; // characters (code points), after trimming
    static constexpr size_t kMaxViewName = 128; // characters

    std::vector<Tag> tags(); // built-in first, then by name
    std::optional<Tag> tagByName(const std::string &name); // case-insensitive
    int64_t addTag(const std::string &name, const std::string &color); // throws on duplicate/invalid
    void updateTag(int64_t id, const std::string &name, const std::string &color); // built-ins: colour only
    void deleteTag(int64_t id); // refused (throws) for built-in tags; detaches it from annotations

    std::optional<Annotation> find(TargetKind kind, const std::string &key);
    // Writes the whole annotation for (kind, key) in one committed transaction; an empty()
    // annotation deletes the row. Returns the stored state (id, times filled in). An empty
    // author is filled with the case's analyst (meta().analyst). Tag ids must exist.
    Annotation put(const Annotation &a);
    void remove(TargetKind kind, const std::string &key);
    std::vector<Annotation> list(const AnnotationFilter &f = {}); // newest modified first

    // Several analysts at once (issue 13 item 3): writes `after`, an edit of `base` (the state the
    // editor showed, with its version; a blank annotation with version 0 when the item had none),
    // without losing a concurrent edit. One committed transaction, compare-and-set on the version:
    // when nobody wrote the item since `base`, `after` is stored (an empty() one deletes it);
    // otherwise the two edits are merged field by field (merge3): what only one side changed is
    // taken from it, tags merge as sets; when both changed the note differently, the stored note
    // (theirs) stays and this edit is saved as a conflict copy (conflictCopyId). Retries when the
    // row changes between the read and the write (a server case's READ COMMITTED).
    struct PutOutcome {
        std::optional<Annotation> stored; // nullopt: the item has no annotation now
        bool merged = false; // someone else wrote the item since `base`
        int64_t conflictCopyId = 0; // > 0: this edit's note kept as that conflict copy
    };
    PutOutcome putFrom(const Annotation &base, const Annotation &after);
    struct Merge {
        Annotation merged; // kind / key / id / version of `theirs`
        bool noteConflict = false; // both changed the note (or its format) differently: merged keeps theirs
    };
    static Merge merge3(const Annotation &base, const Annotation &mine, const Annotation &theirs);
    // Conflict copies, newest first (conflictCopy = true, id = the copy's id).
    std::vector<Annotation> conflictCopies();
    void removeConflictCopy(int64_t id);

    std::vector<SavedView> views(); // by name
    SavedView saveView(const SavedView &v); // insert or replace by name; JSON texts must parse (or be empty)
    void renameView(int64_t id, const std::string &name);
    void deleteView(int64_t id);

    std::map<std::string, std::pair<double, double>> nodePositions(); // host name -> scene pos
    void setNodePosition(const std::string &host, double x, double y);
    void clearNodePosition(const std::string &host);
    void clearNodePositions();

    // Named host groups, by name (case-insensitive order), hosts sorted.
    std::vector<HostGroup> hostGroups();
    // Replaces every named group in one committed transaction (the workbench's undoable edits
    // write the whole before / after state). Throws std::invalid_argument, writing nothing, on a
    // bad or duplicate (case-insensitive) name, an empty group, an empty host name or a host in
    // two groups.
    void setHostGroups(const std::vector<HostGroup> &groups);
    // Pure edits of a group list (validated by setHostGroups when written): `hosts` become the
    // members of `name` (created when new, matched case-insensitively; the hosts leave their
    // previous groups, and a group left empty is dropped); a rename; a delete.
    static std::vector<HostGroup> withHostsGrouped(
        std::vector<HostGroup> groups, const std::string &name, const std::vector<std::string> &hosts);
    static std::vector<HostGroup> withGroupRenamed(
        std::vector<HostGroup> groups, const std::string &from, const std::string &to);
    static std::vector<HostGroup> withGroupDeleted(std::vector<HostGroup> groups, const std::string &name);
    static constexpr size_t kMaxGroupName = 128; // characters

    CaseMeta meta(); // from case_info keys title/analyst/description/display_tz
    void setMeta(const CaseMeta &m); // throws on an unknown time zone id

    // Validation helpers (also used by the GUI to check input before writing).
    static bool validColor(std::string_view c); // #rrggbb
    static std::optional<std::string> normalizeTagName(std::string_view name); // trimmed, or nullopt
    static bool validTimeZone(const std::string &ianaId); // "" (UTC) or a known IANA id

private:
    std::vector<int64_t> tagIdsOf(int64_t annotationId);
    sql::Db &m_db;
};

} // namespace tt::store
