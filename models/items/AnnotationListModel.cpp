#include "items/AnnotationListModel.h"

#include "items/TimeFormat.h"
#include "workbench/AnnotationController.h"

#include <QIcon>
#include <QPainter>
#include <QPixmap>

#include <algorithm>

namespace tt {

namespace {
QString kindLabel(store::TargetKind k)
{
    switch (k) {
    case store::TargetKind::Host:
        return QObject::tr("host");
    case store::TargetKind::Transfer:
        return QObject::tr("transfer");
    case store::TargetKind::Event:
        return QObject::tr("event");
    case store::TargetKind::Process:
        return QObject::tr("process");
    case store::TargetKind::Account:
        return QObject::tr("account");
    }
    return {};
}
} // namespace

QIcon AnnotationListModel::colorDot(const QColor &c)
{
    QPixmap pm(12, 12);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(Qt::NoPen);
    p.setBrush(c);
    p.drawEllipse(QRectF(1, 1, 10, 10));
    return QIcon(pm);
}

AnnotationListModel::AnnotationListModel(AnnotationController *c, QObject *parent)
    : QAbstractTableModel(parent)
    , m_c(c)
{
    connect(c, &AnnotationController::changed, this, &AnnotationListModel::rebuild);
    rebuild();
}

void AnnotationListModel::setFilter(int64_t tagId, const QString &text, bool bookmarkedOnly)
{
    m_tag = tagId;
    m_text = text;
    m_bookmarked = bookmarkedOnly;
    rebuild();
}

void AnnotationListModel::rebuild()
{
    beginResetModel();
    m_rows.clear();
    const auto &all = m_c->all();
    for (size_t i = 0; i < all.size(); ++i) {
        const store::Annotation &a = all[i];
        if (m_bookmarked && !a.bookmarked)
            continue;
        if (m_tag && std::find(a.tagIds.begin(), a.tagIds.end(), m_tag) == a.tagIds.end())
            continue;
        if (!m_text.isEmpty()) {
            const QString hay = QString::fromStdString(a.note) + QLatin1Char('\n') + QString::fromStdString(a.label)
                + QLatin1Char('\n') + QString::fromStdString(a.key);
            if (!hay.contains(m_text, Qt::CaseInsensitive))
                continue;
        }
        m_rows.push_back(i);
    }
    endResetModel();
}

const store::Annotation *AnnotationListModel::at(int row) const
{
    if (row < 0 || row >= static_cast<int>(m_rows.size()) || m_rows[static_cast<size_t>(row)] >= m_c->all().size())
        return nullptr;
    return &m_c->all()[m_rows[static_cast<size_t>(row)]];
}

int AnnotationListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int AnnotationListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AnnotationListModel::data(const QModelIndex &index, int role) const
{
    const store::Annotation *a = at(index.row());
    if (!a || !index.isValid())
        return {};
    if (role == KindRole)
        return QString::fromLatin1(store::targetKindName(a->kind));
    if (role == KeyRole)
        return QString::fromStdString(a->key);
    QStringList tagNames;
    for (int64_t id : a->tagIds)
        if (const auto t = m_c->tag(id))
            tagNames << QString::fromStdString(t->name);
    if (role == Qt::DisplayRole || role == Qt::ToolTipRole) {
        switch (index.column()) {
        case Kind:
            if (a->conflictCopy) // the losing side of two analysts' concurrent edits (issue 13)
                return tr("conflict copy: %1").arg(kindLabel(a->kind));
            return a->bookmarked ? QString(QStringLiteral("\u2605 ") + kindLabel(a->kind)) : kindLabel(a->kind);
        case Item:
            return QString::fromStdString(a->label.empty() ? a->key : a->label);
        case Tags:
            return tagNames.join(QStringLiteral(", "));
        case Note: {
            QString note = QString::fromStdString(a->note);
            if (a->conflictCopy && role == Qt::ToolTipRole)
                note = tr("Conflict copy by %1: this edit met another analyst's edit of the same note, which "
                          "was kept.\n\n%2")
                           .arg(a->author.empty() ? tr("an analyst") : QString::fromStdString(a->author), note);
            return role == Qt::ToolTipRole ? note : note.section(QLatin1Char('\n'), 0, 0);
        }
        case Modified:
            return formatTime(a->modifiedUs);
        default:
            return {};
        }
    }
    if (role == Qt::DecorationRole && index.column() == Kind)
        return colorDot(m_c->badgeColor(a->kind, QString::fromStdString(a->key)));
    return {};
}

QVariant AnnotationListModel::headerData(int section, Qt::Orientation o, int role) const
{
    if (o != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Kind:
        return tr("Kind");
    case Item:
        return tr("Item");
    case Tags:
        return tr("Tags");
    case Note:
        return tr("Note");
    case Modified:
        return tr("Modified (%1)").arg(displayTimeZoneName());
    default:
        return {};
    }
}

} // namespace tt
