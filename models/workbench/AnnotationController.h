#pragma once

#include "store/AnnotationStore.h"

#include <QColor>
#include <QHash>
#include <QObject>
#include <QPointF>
#include <QString>
#include <QStringList>

#include <map>
#include <memory>
#include <optional>
#include <vector>

class QUndoStack;

namespace tt {

namespace store {
class CaseStore;
}

// What an annotation is about, as the views know it: kind, stable key (host name, transfer key,
// or row id as text) and a display label kept with it.
struct AnnotationRef {
    store::TargetKind kind = store::TargetKind::Host;
    QString key;
    QString label;
};

// The analyst's annotations of the open case, for every view: a write-through cache over
// store::AnnotationStore. Each edit is committed at once on its own read-write connection (one
// small transaction, so it runs on the UI thread) and goes through the undo stack; views repaint
// on changed(). Node positions the analyst dragged are kept here too (undoable, in the case).
class AnnotationController : public QObject {
    Q_OBJECT
public:
    explicit AnnotationController(QObject *parent = nullptr);
    ~AnnotationController() override;

    // Opens the case for annotation writes; read-only cases (or no case: "") show annotations
    // but refuse edits. Returns false with `error` set when the case cannot be opened for it.
    // A read-write open takes the case's session lock (store::CaseLock): a case another
    // TransferTrace has open, or a file / folder that is not writable, opens read-only and
    // readOnlyReason() says why.
    bool setCase(const QString &path, bool readOnly, QString *error = nullptr);
    QString casePath() const { return m_path; }
    QString readOnlyReason() const { return m_readOnlyReason; }
    // The file every view of this session reads: the case, or for a read-only older case the
    // private upgraded copy.
    QString dataPath() const { return m_dataPath; }
    // "upgraded from schema v1; the original is kept as X" when this open migrated the case.
    QString migrationNote() const { return m_migrationNote; }
    bool writable() const { return m_store && !m_readOnly; }
    QUndoStack *undoStack() const { return m_undo; }

    std::optional<store::Annotation> find(store::TargetKind kind, const QString &key) const;
    bool isAnnotated(store::TargetKind kind, const QString &key) const;
    // Badge colour: the first tag's colour, else the note colour; invalid when not annotated.
    QColor badgeColor(store::TargetKind kind, const QString &key) const;
    // Every annotated item of one kind: key -> badge colour (for table swatches).
    QHash<QString, QColor> badgeColors(store::TargetKind kind) const;
    // The colour rule itself (first tag with a valid colour, else the note colour), for code that
    // reads annotations from a store of its own (the exporter).
    static QColor badgeColorOf(const store::Annotation &a, const std::vector<store::Tag> &tags);
    // One-line description for tooltips: "malicious, needs-review - first line of the note".
    QString summary(store::TargetKind kind, const QString &key) const;
    const std::vector<store::Annotation> &all() const { return m_all; }
    const std::vector<store::Tag> &tags() const { return m_tags; }
    std::optional<store::Tag> tag(int64_t id) const;

    // Undoable edits. `after` replaces the whole annotation of (kind, key); an empty() one
    // removes it. Returns false (and emits failed) when the case is read-only or the write fails.
    bool put(const AnnotationRef &ref, const store::Annotation &after, const QString &undoText);
    bool toggleBookmark(const AnnotationRef &ref);
    bool toggleTag(const AnnotationRef &ref, int64_t tagId);
    // Not undoable (tags are case vocabulary, not edits of an item).
    std::optional<int64_t> addTag(const QString &name, const QColor &color);

    // Dragged node positions (host name -> scene position).
    const std::map<std::string, std::pair<double, double>> &nodePositions() const { return m_positions; }
    // Records a move from `from` (nullopt: the node was not pinned) to `to` (nullopt: unpinned).
    void moveNode(const QString &host, std::optional<QPointF> from, std::optional<QPointF> to);
    void clearNodePositions();
    // Replaces every kept position (restoring a saved view); not undoable.
    void setNodePositions(const std::map<std::string, std::pair<double, double>> &positions);

    // The analyst's named host groups (store::AnnotationStore::hostGroups). Each edit writes the
    // whole list in one committed transaction and is undoable; it returns false (and emits
    // failed with the reason) when the case is read-only or the edit is invalid (a name taken by
    // another group, an empty name...). hostGroupsChanged follows every change, undo and redo.
    const std::vector<store::HostGroup> &hostGroups() const { return m_groups; }
    // host name -> group name
    QHash<QString, QString> hostGroupOf() const;
    bool groupHosts(const QString &name, const QStringList &hosts); // "Group as..."
    bool renameHostGroup(const QString &from, const QString &to);
    bool deleteHostGroup(const QString &name);

    // Several analysts at once (issue 13 item 3): re-reads the annotations and tags another
    // session may have changed (store::ChangeKinds of a CaseChangeWatcher) and emits changed()
    // only when they differ from what is shown, so a notice of this session's own write repaints
    // nothing. Returns whether anything changed.
    bool reloadFromStore();
    // Conflict copies (store::Annotation::conflictCopy) are listed in all() after the annotations,
    // never found by find(); the analyst deletes one once it is dealt with.
    bool removeConflictCopy(int64_t id);
    int conflictCopyCount() const;

    // Direct store access for saved views and metadata (nullptr when no case is open).
    store::AnnotationStore *store() const { return m_annotations.get(); }

    static QColor noteColor() { return QColor(0x1f, 0x77, 0xb4); }

signals:
    void changed(); // annotations or tags
    void nodePositionsChanged();
    void hostGroupsChanged();
    void failed(const QString &message);
    // An edit met another analyst's concurrent edit of the same item: both were kept (merged, or
    // this one as a conflict copy); the message says which.
    void conflict(const QString &message);

private:
    friend class PutAnnotationCommand;
    friend class MoveNodeCommand;
    friend class HostGroupsCommand;
    bool editGroups(const std::vector<store::HostGroup> &after, const QString &undoText);
    bool writeGroups(const std::vector<store::HostGroup> &groups);
    bool write(const store::Annotation &state, store::TargetKind kind, const std::string &key);
    void writePosition(const QString &host, std::optional<QPointF> pos);
    void reload();

    QString m_path;
    QString m_dataPath;
    QString m_readOnlyReason;
    QString m_migrationNote;
    bool m_readOnly = true;
    std::unique_ptr<store::CaseStore> m_store;
    std::unique_ptr<store::AnnotationStore> m_annotations;
    QUndoStack *m_undo;
    std::vector<store::Annotation> m_all;
    std::vector<store::Tag> m_tags;
    QHash<QString, size_t> m_index; // "kind|key" -> m_all index
    std::map<std::string, std::pair<double, double>> m_positions;
    std::vector<store::HostGroup> m_groups;
};

} // namespace tt
