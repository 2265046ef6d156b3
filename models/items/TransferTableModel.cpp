#include "items/TransferTableModel.h"

#include "items/TimeFormat.h"
#include "workbench/AnnotationController.h"

#include <QColor>

namespace tt {

namespace {
bool invisible(char32_t c)
{
    return c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == 0x200e || c == 0x200f
        || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

QString richEscaped(const QString &plain)
{
    return QStringLiteral("<p style='white-space:pre-wrap'>%1</p>").arg(plain.toHtmlEscaped());
}
} // namespace

TransferTableModel::TransferTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

QString TransferTableModel::cellText(const QString &s)
{
    QString out;
    out.reserve(s.size());
    for (char32_t c : s.toUcs4()) {
        if (invisible(c))
            out += QStringLiteral("\\u{%1}").arg(static_cast<uint>(c), 0, 16);
        else
            out += QString::fromUcs4(&c, 1);
    }
    return out;
}

void TransferTableModel::setAnnotations(AnnotationController *annotations)
{
    if (m_annotations)
        disconnect(m_annotations, nullptr, this, nullptr);
    m_annotations = annotations;
    if (annotations)
        connect(annotations, &AnnotationController::changed, this, [this] {
            if (m_revealed > 0)
                emit dataChanged(index(0, int(TransferColumn::Tags)), index(m_revealed - 1, int(TransferColumn::Tags)));
        });
}

quint64 TransferTableModel::setList(QVector<qint64> ids, std::vector<TransferTableRow> firstPage)
{
    beginResetModel();
    ++m_generation;
    m_ids = std::move(ids);
    m_rowOf.clear();
    m_pages.clear();
    m_pending.clear();
    m_revealed = std::min(kPageSize, totalCount());
    if (!firstPage.empty())
        m_pages.emplace(0, std::move(firstPage));
    endResetModel();
    return m_generation;
}

void TransferTableModel::setPage(quint64 generation, int page, std::vector<TransferTableRow> rows)
{
    if (generation != m_generation)
        return; // a page of an older list
    m_pending.remove(page);
    m_pages.emplace(page, std::move(rows));
    const int first = page * kPageSize;
    const int last = std::min(first + kPageSize, m_revealed) - 1;
    if (last >= first)
        emit dataChanged(index(first, 0), index(last, columnCount() - 1));
}

void TransferTableModel::requestPage(int page) const
{
    if (page < 0 || page * kPageSize >= totalCount() || m_pages.contains(page) || m_pending.contains(page))
        return;
    m_pending.insert(page);
    const int first = page * kPageSize;
    emit const_cast<TransferTableModel *>(this)->pageNeeded(
        m_generation, page, m_ids.mid(first, std::min(kPageSize, totalCount() - first)));
}

qint64 TransferTableModel::transferAt(int row) const
{
    return row >= 0 && row < totalCount() ? m_ids[row] : 0;
}

const TransferTableRow *TransferTableModel::rowAt(int row) const
{
    if (row < 0 || row >= totalCount())
        return nullptr;
    const auto it = m_pages.constFind(row / kPageSize);
    if (it == m_pages.cend())
        return nullptr;
    const std::vector<TransferTableRow> &rows = *it;
    const size_t i = static_cast<size_t>(row % kPageSize);
    // A row deleted from the case between the list and the page is simply missing.
    return i < rows.size() && rows[i].id == m_ids[row] ? &rows[i] : nullptr;
}

int TransferTableModel::rowOfTransfer(qint64 id) const
{
    if (m_rowOf.isEmpty() && !m_ids.isEmpty()) {
        m_rowOf.reserve(m_ids.size());
        for (int i = 0; i < totalCount(); ++i)
            m_rowOf.insert(m_ids[i], i);
    }
    return m_rowOf.value(id, -1);
}

void TransferTableModel::revealThrough(int row)
{
    if (row < m_revealed || row >= totalCount())
        return;
    const int to = std::min(totalCount(), (row / kPageSize + 1) * kPageSize);
    beginInsertRows({}, m_revealed, to - 1);
    m_revealed = to;
    endInsertRows();
}

bool TransferTableModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && m_revealed < totalCount();
}

void TransferTableModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    revealThrough(m_revealed);
    requestPage((m_revealed - 1) / kPageSize);
}

int TransferTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_revealed;
}

int TransferTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(TransferColumn::Count);
}

QString TransferTableModel::tagsText(const TransferTableRow &r) const
{
    if (!m_annotations || r.key.isEmpty())
        return {};
    return m_annotations->summary(store::TargetKind::Transfer, r.key);
}

QVariant TransferTableModel::display(const TransferTableRow &r, int column) const
{
    switch (TransferColumn(column)) {
    case TransferColumn::FirstTs:
        return formatTime(r.firstTs);
    case TransferColumn::LastTs:
        return formatTime(r.lastTs);
    case TransferColumn::Source:
        return cellText(r.source.isEmpty() ? r.sourceIp : r.source);
    case TransferColumn::Destination:
        return cellText(r.destination);
    case TransferColumn::File:
        return cellText(r.file);
    case TransferColumn::Path:
        return cellText(r.path);
    case TransferColumn::Hash:
        return cellText(r.hashes);
    case TransferColumn::Method:
        return r.method;
    case TransferColumn::Direction:
        return r.direction;
    case TransferColumn::Account:
        return cellText(r.account);
    case TransferColumn::SourceProcess:
        return cellText(r.sourceProcess);
    case TransferColumn::Executed:
        return r.executed ? tr("yes") : tr("no");
    case TransferColumn::Confidence:
        return QStringLiteral("%1 %2").arg(QString::number(r.confidence, 'f', 2), r.confidenceLabel);
    case TransferColumn::Tags:
        return cellText(tagsText(r));
    case TransferColumn::Benign:
        return cellText(r.benignTool);
    case TransferColumn::Count:
        break;
    }
    return {};
}

QVariant TransferTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_revealed)
        return {};
    if (role == TransferIdRole)
        return m_ids[index.row()];
    const TransferTableRow *r = rowAt(index.row());
    if (role == LoadedRole)
        return r != nullptr;
    if (!r) {
        requestPage(index.row() / kPageSize);
        if (role == Qt::DisplayRole && index.column() == 0)
            return tr("loading...");
        if (role == Qt::ForegroundRole)
            return QColor(Qt::gray);
        return {};
    }
    const auto col = TransferColumn(index.column());
    switch (role) {
    case Qt::DisplayRole:
        return display(*r, index.column());
    case Qt::ToolTipRole:
        if (col == TransferColumn::Confidence) {
            QString tip = confidenceReasons(*r);
            if (m_reasons)
                for (const QString &why : m_reasons(*r))
                    tip += QStringLiteral("\n  ") + why;
            return richEscaped(tip);
        }
        if (col == TransferColumn::Executed && r->executed && !r->executingProcess.isEmpty())
            return richEscaped(tr("ran as %1").arg(cellText(r->executingProcess)));
        if (col == TransferColumn::Source && !r->sourceIp.isEmpty())
            return richEscaped(cellText(
                r->source.isEmpty() ? r->sourceIp : r->source + QStringLiteral(" (") + r->sourceIp + QLatin1Char(')')));
        if (col == TransferColumn::Benign && !r->benignTool.isEmpty())
            return richEscaped(
                tr("benign-admin candidate (%1): %2").arg(cellText(r->benignTool), cellText(r->benignReason)));
        if (col == TransferColumn::Path && !r->srcPath.isEmpty())
            return richEscaped(cellText(r->path) + QLatin1Char('\n') + tr("from %1").arg(cellText(r->srcPath)));
        if (col == TransferColumn::Tags) {
            const QString full = m_annotations && !r->key.isEmpty()
                ? QString::fromStdString(
                    m_annotations->find(store::TargetKind::Transfer, r->key).value_or(store::Annotation {}).note)
                : QString();
            return full.isEmpty() ? QVariant()
                                  : QVariant(richEscaped(cellText(tagsText(*r)) + QLatin1Char('\n') + full));
        }
        return richEscaped(display(*r, index.column()).toString());
    case Qt::DecorationRole:
        if (col == TransferColumn::Tags && m_annotations && !r->key.isEmpty()) {
            const QColor c = m_annotations->badgeColor(store::TargetKind::Transfer, r->key);
            if (c.isValid())
                return c;
        }
        return {};
    case Qt::TextAlignmentRole:
        if (col == TransferColumn::Confidence || col == TransferColumn::Executed)
            return int(Qt::AlignCenter);
        return {};
    default:
        return {};
    }
}

QVariant TransferTableModel::headerData(int section, Qt::Orientation o, int role) const
{
    if (o != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (TransferColumn(section)) {
    case TransferColumn::FirstTs:
        return tr("First (%1)").arg(displayTimeZoneName());
    case TransferColumn::LastTs:
        return tr("Last");
    case TransferColumn::Source:
        return tr("Source");
    case TransferColumn::Destination:
        return tr("Destination");
    case TransferColumn::File:
        return tr("File");
    case TransferColumn::Path:
        return tr("Path");
    case TransferColumn::Hash:
        return tr("Hash");
    case TransferColumn::Method:
        return tr("Method");
    case TransferColumn::Direction:
        return tr("Direction");
    case TransferColumn::Account:
        return tr("Account");
    case TransferColumn::SourceProcess:
        return tr("Source process");
    case TransferColumn::Executed:
        return tr("Executed");
    case TransferColumn::Confidence:
        return tr("Confidence");
    case TransferColumn::Tags:
        return tr("Tags / notes");
    case TransferColumn::Benign:
        return tr("Benign (tool)");
    case TransferColumn::Count:
        break;
    }
    return {};
}

} // namespace tt
