#include "workbench/AnnotationController.h"

#include "store/CaseStore.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QUndoCommand>
#include <QUndoStack>

#include <algorithm>

namespace tt {

namespace {

QString indexKey(store::TargetKind kind, const QString &key)
{
    return QString::fromLatin1(store::targetKindName(kind)) + QLatin1Char('|') + key;
}

store::Annotation blank(const AnnotationRef &ref)
{
    store::Annotation a;
    a.kind = ref.kind;
    a.key = ref.key.toStdString();
    a.label = ref.label.toStdString();
    return a;
}

} // namespace

// Before and after states of one item's annotation; undo writes `before` back (an empty state
// deletes the row, so undoing the first note of an item leaves nothing behind).
class PutAnnotationCommand : public QUndoCommand {
public:
    PutAnnotationCommand(
        AnnotationController *c, store::Annotation before, store::Annotation after, const QString &text)
        : QUndoCommand(text)
        , m_c(c)
        , m_before(std::move(before))
        , m_after(std::move(after))
    {
    }
    void redo() override { m_c->write(m_after, m_after.kind, m_after.key); }
    void undo() override { m_c->write(m_before, m_after.kind, m_after.key); }

private:
    AnnotationController *m_c;
    store::Annotation m_before, m_after;
};

class MoveNodeCommand : public QUndoCommand {
public:
    MoveNodeCommand(AnnotationController *c, QString host, std::optional<QPointF> from, std::optional<QPointF> to)
        : QUndoCommand(QCoreApplication::translate("AnnotationController", "Move %1").arg(host))
        , m_c(c)
        , m_host(std::move(host))
        , m_from(from)
        , m_to(to)
    {
    }
    void redo() override
    {
        if (m_first) { // the view already shows the node there; only persist
            m_first = false;
            m_c->writePosition(m_host, m_to);
            return;
        }
        m_c->writePosition(m_host, m_to);
        emit m_c->nodePositionsChanged();
    }
    void undo() override
    {
        m_c->writePosition(m_host, m_from);
        emit m_c->nodePositionsChanged();
    }

private:
    AnnotationController *m_c;
    QString m_host;
    std::optional<QPointF> m_from, m_to;
    bool m_first = true;
};

// The whole list of named host groups before and after one edit.
class HostGroupsCommand : public QUndoCommand {
public:
    HostGroupsCommand(AnnotationController *c, std::vector<store::HostGroup> before,
        std::vector<store::HostGroup> after, const QString &text)
        : QUndoCommand(text)
        , m_c(c)
        , m_before(std::move(before))
        , m_after(std::move(after))
    {
    }
    void redo() override
    {
        if (m_first) { // written (and checked) by editGroups before the push
            m_first = false;
            return;
        }
        m_c->writeGroups(m_after);
    }
    void undo() override { m_c->writeGroups(m_before); }

private:
    AnnotationController *m_c;
    std::vector<store::HostGroup> m_before, m_after;
    bool m_first = true;
};

AnnotationController::AnnotationController(QObject *parent)
    : QObject(parent)
    , m_undo(new QUndoStack(this))
{
}

AnnotationController::~AnnotationController() = default;

bool AnnotationController::setCase(const QString &path, bool readOnly, QString *error)
{
    m_undo->clear();
    m_annotations.reset();
    m_store.reset();
    m_all.clear();
    m_tags.clear();
    m_index.clear();
    m_positions.clear();
    m_groups.clear();
    m_path = path;
    m_dataPath = path;
    m_readOnly = readOnly;
    m_readOnlyReason = readOnly ? tr("opened read-only") : QString();
    m_migrationNote.clear();
    bool ok = true;
    if (!path.isEmpty()) {
        try {
            store::OpenOptions options;
            options.sessionLock = !readOnly;
            m_store = store::CaseStore::open(path.toStdString(),
                readOnly ? store::CaseStore::Access::ReadOnly : store::CaseStore::Access::ReadWrite, options);
            if (m_store->readOnly()) {
                m_readOnly = true;
                if (!m_store->readOnlyReason().empty())
                    m_readOnlyReason = QString::fromStdString(m_store->readOnlyReason());
            }
            m_dataPath = QString::fromStdString(m_store->dataPath());
            if (m_store->migratedFrom() > 0)
                m_migrationNote = m_store->migrationBackup().empty()
                    ? tr("upgraded from schema v%1 for reading (the file itself is unchanged)")
                          .arg(m_store->migratedFrom())
                    : tr("upgraded from schema v%1; the original is kept as %2")
                          .arg(m_store->migratedFrom())
                          .arg(QString::fromStdString(m_store->migrationBackup()));
            m_annotations = std::make_unique<store::AnnotationStore>(*m_store);
            reload();
            m_positions = m_annotations->nodePositions();
            m_groups = m_annotations->hostGroups();
        } catch (const std::exception &e) {
            m_annotations.reset();
            m_store.reset();
            if (error)
                *error = QString::fromUtf8(e.what());
            ok = false;
        }
    }
    emit changed();
    emit nodePositionsChanged();
    emit hostGroupsChanged();
    return ok;
}

QHash<QString, QString> AnnotationController::hostGroupOf() const
{
    QHash<QString, QString> out;
    for (const store::HostGroup &g : m_groups)
        for (const std::string &h : g.hosts)
            out.insert(QString::fromStdString(h), QString::fromStdString(g.name));
    return out;
}

bool AnnotationController::writeGroups(const std::vector<store::HostGroup> &groups)
{
    if (!writable()) {
        emit failed(tr("This case is open read-only: groups cannot be changed."));
        return false;
    }
    try {
        m_annotations->setHostGroups(groups);
        m_groups = m_annotations->hostGroups();
    } catch (const std::exception &e) {
        emit failed(tr("The groups could not be saved: %1").arg(QString::fromUtf8(e.what())));
        return false;
    }
    emit hostGroupsChanged();
    return true;
}

bool AnnotationController::editGroups(const std::vector<store::HostGroup> &after, const QString &undoText)
{
    const std::vector<store::HostGroup> before = m_groups;
    if (!writeGroups(after))
        return false;
    m_undo->push(new HostGroupsCommand(this, before, m_groups, undoText));
    return true;
}

bool AnnotationController::groupHosts(const QString &name, const QStringList &hosts)
{
    std::vector<std::string> names;
    for (const QString &h : hosts)
        names.push_back(h.toStdString());
    return editGroups(store::AnnotationStore::withHostsGrouped(m_groups, name.toStdString(), names),
        tr("Group %n host(s) as %1", nullptr, static_cast<int>(hosts.size())).arg(name.trimmed()));
}

bool AnnotationController::renameHostGroup(const QString &from, const QString &to)
{
    return editGroups(store::AnnotationStore::withGroupRenamed(m_groups, from.toStdString(), to.toStdString()),
        tr("Rename group %1 to %2").arg(from, to.trimmed()));
}

bool AnnotationController::deleteHostGroup(const QString &name)
{
    return editGroups(
        store::AnnotationStore::withGroupDeleted(m_groups, name.toStdString()), tr("Delete group %1").arg(name));
}

void AnnotationController::reload()
{
    m_all.clear();
    m_index.clear();
    if (!m_annotations)
        return;
    m_tags = m_annotations->tags();
    m_all = m_annotations->list();
    for (size_t i = 0; i < m_all.size(); ++i)
        m_index.insert(indexKey(m_all[i].kind, QString::fromStdString(m_all[i].key)), i);
    for (store::Annotation &c : m_annotations->conflictCopies())
        m_all.push_back(std::move(c)); // after the annotations, not indexed: find() never returns one
}

bool AnnotationController::reloadFromStore()
{
    if (!m_annotations)
        return false;
    const std::vector<store::Annotation> before = m_all;
    const std::vector<store::Tag> tagsBefore = m_tags;
    try {
        reload();
    } catch (const std::exception &e) {
        emit failed(tr("The annotations could not be re-read: %1").arg(QString::fromUtf8(e.what())));
        return false;
    }
    if (m_all == before && m_tags == tagsBefore)
        return false;
    emit changed();
    return true;
}

bool AnnotationController::removeConflictCopy(int64_t id)
{
    if (!writable()) {
        emit failed(tr("This case is open read-only: annotations cannot be changed."));
        return false;
    }
    try {
        m_annotations->removeConflictCopy(id);
    } catch (const std::exception &e) {
        emit failed(tr("The conflict copy could not be removed: %1").arg(QString::fromUtf8(e.what())));
        return false;
    }
    reload();
    emit changed();
    return true;
}

int AnnotationController::conflictCopyCount() const
{
    return static_cast<int>(
        std::count_if(m_all.begin(), m_all.end(), [](const store::Annotation &a) { return a.conflictCopy; }));
}

std::optional<store::Annotation> AnnotationController::find(store::TargetKind kind, const QString &key) const
{
    const auto it = m_index.constFind(indexKey(kind, key));
    if (it == m_index.cend())
        return std::nullopt;
    return m_all[*it];
}

bool AnnotationController::isAnnotated(store::TargetKind kind, const QString &key) const
{
    return m_index.contains(indexKey(kind, key));
}

std::optional<store::Tag> AnnotationController::tag(int64_t id) const
{
    for (const store::Tag &t : m_tags)
        if (t.id == id)
            return t;
    return std::nullopt;
}

QColor AnnotationController::badgeColorOf(const store::Annotation &a, const std::vector<store::Tag> &tags)
{
    for (int64_t id : a.tagIds)
        for (const store::Tag &t : tags)
            if (t.id == id) {
                const QColor c(QString::fromStdString(t.color));
                if (c.isValid())
                    return c;
            }
    return noteColor();
}

QColor AnnotationController::badgeColor(store::TargetKind kind, const QString &key) const
{
    const auto a = find(kind, key);
    return a ? badgeColorOf(*a, m_tags) : QColor();
}

QHash<QString, QColor> AnnotationController::badgeColors(store::TargetKind kind) const
{
    QHash<QString, QColor> out;
    for (const store::Annotation &a : m_all)
        if (a.kind == kind && !a.conflictCopy)
            out.insert(QString::fromStdString(a.key), badgeColorOf(a, m_tags));
    return out;
}

QString AnnotationController::summary(store::TargetKind kind, const QString &key) const
{
    const auto a = find(kind, key);
    if (!a)
        return {};
    QStringList parts;
    if (a->bookmarked)
        parts << tr("bookmarked");
    QStringList tagNames;
    for (int64_t id : a->tagIds)
        if (const auto t = tag(id))
            tagNames << QString::fromStdString(t->name);
    if (!tagNames.isEmpty())
        parts << tagNames.join(QStringLiteral(", "));
    QString note = QString::fromStdString(a->note).section(QLatin1Char('\n'), 0, 0).trimmed();
    if (note.size() > 120)
        note = note.left(117) + QStringLiteral("...");
    if (!note.isEmpty())
        parts << note;
    return parts.join(QStringLiteral(" - "));
}

bool AnnotationController::write(const store::Annotation &state, store::TargetKind kind, const std::string &key)
{
    if (!writable()) {
        emit failed(tr("This case is open read-only: annotations cannot be changed."));
        return false;
    }
    // The edit is of the state this session shows (its version): when another analyst wrote the
    // item meanwhile, the store merges both and keeps a conflicting note as a conflict copy.
    store::Annotation base;
    base.kind = kind;
    base.key = key;
    if (const auto shown = find(kind, QString::fromStdString(key)))
        base = *shown;
    store::Annotation next = state;
    next.kind = kind;
    next.key = key;
    store::AnnotationStore::PutOutcome out;
    try {
        out = m_annotations->putFrom(base, next);
    } catch (const std::exception &e) {
        emit failed(tr("The annotation could not be saved: %1").arg(QString::fromUtf8(e.what())));
        reload();
        emit changed();
        return false;
    }
    reload();
    emit changed();
    const QString label = QString::fromStdString(next.label.empty() ? key : next.label);
    if (out.conflictCopyId > 0)
        emit conflict(tr("Someone else changed the note of %1 at the same time: their note is kept and yours is "
                         "saved as a conflict copy in the Notes panel.")
                          .arg(label));
    else if (out.merged)
        emit conflict(
            tr("Someone else changed the annotation of %1 at the same time: both changes were kept.").arg(label));
    return true;
}

bool AnnotationController::put(const AnnotationRef &ref, const store::Annotation &after, const QString &undoText)
{
    if (!writable()) {
        emit failed(tr("This case is open read-only: annotations cannot be changed."));
        return false;
    }
    store::Annotation before = find(ref.kind, ref.key).value_or(blank(ref));
    store::Annotation next = after;
    next.kind = ref.kind;
    next.key = ref.key.toStdString();
    if (next.label.empty())
        next.label = ref.label.toStdString();
    std::sort(next.tagIds.begin(), next.tagIds.end());
    m_undo->push(new PutAnnotationCommand(this, before, next, undoText));
    // push() ran redo(); a failed write has already said why (failed()) and left the cache as stored.
    const auto stored = find(ref.kind, ref.key);
    const bool ok = next.empty() ? !stored.has_value() : stored.has_value();
    return ok;
}

bool AnnotationController::toggleBookmark(const AnnotationRef &ref)
{
    store::Annotation a = find(ref.kind, ref.key).value_or(blank(ref));
    a.bookmarked = !a.bookmarked;
    return put(ref, a, a.bookmarked ? tr("Bookmark %1").arg(ref.label) : tr("Remove bookmark of %1").arg(ref.label));
}

bool AnnotationController::toggleTag(const AnnotationRef &ref, int64_t tagId)
{
    store::Annotation a = find(ref.kind, ref.key).value_or(blank(ref));
    const auto t = tag(tagId);
    const QString name = t ? QString::fromStdString(t->name) : QString::number(tagId);
    auto it = std::find(a.tagIds.begin(), a.tagIds.end(), tagId);
    QString text;
    if (it != a.tagIds.end()) {
        a.tagIds.erase(it);
        text = tr("Remove tag %1 from %2").arg(name, ref.label);
    } else {
        a.tagIds.push_back(tagId);
        text = tr("Tag %1 as %2").arg(ref.label, name);
    }
    return put(ref, a, text);
}

std::optional<int64_t> AnnotationController::addTag(const QString &name, const QColor &color)
{
    if (!writable()) {
        emit failed(tr("This case is open read-only: tags cannot be added."));
        return std::nullopt;
    }
    try {
        const int64_t id = m_annotations->addTag(name.trimmed().toStdString(), color.name().toStdString());
        reload();
        emit changed();
        return id;
    } catch (const std::exception &e) {
        emit failed(tr("The tag could not be added: %1").arg(QString::fromUtf8(e.what())));
        return std::nullopt;
    }
}

void AnnotationController::writePosition(const QString &host, std::optional<QPointF> pos)
{
    const std::string key = host.toStdString();
    if (pos)
        m_positions[key] = {pos->x(), pos->y()};
    else
        m_positions.erase(key);
    if (!writable())
        return; // read-only: the move is kept for this session only
    try {
        if (pos)
            m_annotations->setNodePosition(key, pos->x(), pos->y());
        else
            m_annotations->clearNodePosition(key);
    } catch (const std::exception &e) {
        emit failed(tr("The node position could not be saved: %1").arg(QString::fromUtf8(e.what())));
    }
}

void AnnotationController::moveNode(const QString &host, std::optional<QPointF> from, std::optional<QPointF> to)
{
    m_undo->push(new MoveNodeCommand(this, host, from, to));
}

void AnnotationController::clearNodePositions()
{
    m_positions.clear();
    if (writable()) {
        try {
            m_annotations->clearNodePositions();
        } catch (const std::exception &e) {
            emit failed(QString::fromUtf8(e.what()));
        }
    }
    emit nodePositionsChanged();
}

void AnnotationController::setNodePositions(const std::map<std::string, std::pair<double, double>> &positions)
{
    m_positions = positions;
    if (writable()) {
        try {
            m_annotations->clearNodePositions();
            for (const auto &[host, xy] : positions)
                m_annotations->setNodePosition(host, xy.first, xy.second);
        } catch (const std::exception &e) {
            emit failed(QString::fromUtf8(e.what()));
        }
    }
    emit nodePositionsChanged();
}

} // namespace tt
