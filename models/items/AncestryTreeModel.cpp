#include "items/AncestryTreeModel.h"

#include "items/TimeFormat.h"

#include <QFont>
#include <QSet>

namespace tt {

struct AncestryTreeModel::Node {
    quint64 key = 0;
    Node *parent = nullptr;
    int row = 0;
    bool group = false;
    QString label; // group rows
    ProcessInfo info; // process rows
    bool onChain = false;
    bool target = false;
    bool loaded = false; // all children known
    bool requested = false;
    std::vector<std::unique_ptr<Node>> children;
};

AncestryTreeModel::AncestryTreeModel(QObject *parent)
    : QAbstractItemModel(parent)
    , m_root(std::make_unique<Node>())
{
    m_root->loaded = true;
}

AncestryTreeModel::~AncestryTreeModel() = default;

AncestryTreeModel::Node *AncestryTreeModel::nodeOf(const QModelIndex &index) const
{
    return index.isValid() ? static_cast<Node *>(index.internalPointer()) : m_root.get();
}

QModelIndex AncestryTreeModel::indexOf(const Node *n, int column) const
{
    if (!n || n == m_root.get())
        return {};
    return createIndex(n->row, column, const_cast<Node *>(n));
}

QModelIndex AncestryTreeModel::indexForKey(quint64 nodeKey) const
{
    return indexOf(m_byKey.value(nodeKey));
}

AncestryTreeModel::Node *AncestryTreeModel::addChild(Node *parent, const ProcessInfo *info, const QString &label)
{
    auto n = std::make_unique<Node>();
    n->key = m_nextKey++;
    n->parent = parent;
    n->row = static_cast<int>(parent->children.size());
    if (info) {
        n->info = *info;
    } else {
        n->group = true;
        n->label = label;
        n->loaded = true;
    }
    Node *raw = n.get();
    m_byKey.insert(raw->key, raw);
    parent->children.push_back(std::move(n));
    return raw;
}

void AncestryTreeModel::appendChain(Node *under, const ProcessChain &chain)
{
    Node *at = under;
    for (size_t i = 0; i < chain.chain.size(); ++i) {
        at = addChild(at, &chain.chain[i], QString());
        at->onChain = true;
        at->target = i + 1 == chain.chain.size();
    }
}

void AncestryTreeModel::clear()
{
    beginResetModel();
    m_byKey.clear();
    m_root = std::make_unique<Node>();
    m_root->loaded = true;
    m_note.clear();
    endResetModel();
}

namespace {
QString chainNote(const ProcessChain &c)
{
    if (!c.error.isEmpty())
        return c.error;
    if (c.cycle)
        return AncestryTreeModel::tr("the process data loops back on itself: chain cut at the cycle");
    if (c.truncated)
        return AncestryTreeModel::tr("chain cut after %1 levels").arg(kMaxAncestryDepth);
    return {};
}
} // namespace

void AncestryTreeModel::setChain(const ProcessChain &chain)
{
    beginResetModel();
    m_byKey.clear();
    m_root = std::make_unique<Node>();
    m_root->loaded = true;
    appendChain(m_root.get(), chain);
    m_note = chainNote(chain);
    endResetModel();
}

void AncestryTreeModel::setTransfer(const TransferSides &sides)
{
    beginResetModel();
    m_byKey.clear();
    m_root = std::make_unique<Node>();
    m_root->loaded = true;
    QStringList notes;
    auto side = [&](const QString &label, int64_t processId, const ProcessChain &chain) {
        Node *g = addChild(m_root.get(), nullptr, label);
        if (!processId)
            g->label += tr(" (process unknown)");
        appendChain(g, chain);
        const QString n = chainNote(chain);
        if (!n.isEmpty())
            notes << label + QStringLiteral(": ") + n;
    };
    side(tr("pushed by (source %1)").arg(sides.srcHost.isEmpty() ? tr("unknown") : sides.srcHost), sides.srcProcessId,
        sides.pushedBy);
    side(tr("executed by (destination %1)").arg(sides.dstHost), sides.dstProcessId, sides.executedBy);
    if (!sides.error.isEmpty())
        notes << sides.error;
    m_note = notes.join(QStringLiteral("; "));
    endResetModel();
}

void AncestryTreeModel::setChildren(quint64 nodeKey, const std::vector<ProcessInfo> &children)
{
    Node *n = m_byKey.value(nodeKey);
    if (!n || n->group || n->loaded)
        return;
    n->loaded = true;
    // The chain already holds one child: keep it first, add the others after it.
    QSet<qint64> present;
    for (const auto &c : n->children)
        present.insert(c->info.id);
    std::vector<const ProcessInfo *> add;
    for (const ProcessInfo &c : children)
        if (!present.contains(c.id))
            add.push_back(&c);
    const QModelIndex parentIndex = indexOf(n);
    if (!add.empty()) {
        const int first = static_cast<int>(n->children.size());
        beginInsertRows(parentIndex, first, first + static_cast<int>(add.size()) - 1);
        for (const ProcessInfo *c : add)
            addChild(n, c, QString());
        endInsertRows();
    } else if (n->children.empty()) {
        // hasChildren() turned false: let views drop the expand indicator.
        emit dataChanged(parentIndex, indexOf(n, ColumnCount - 1));
    }
}

QModelIndex AncestryTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (column < 0 || column >= ColumnCount || row < 0 || (parent.isValid() && parent.column() != 0))
        return {};
    const Node *p = nodeOf(parent);
    if (row >= static_cast<int>(p->children.size()))
        return {};
    return createIndex(row, column, p->children[static_cast<size_t>(row)].get());
}

QModelIndex AncestryTreeModel::parent(const QModelIndex &child) const
{
    if (!child.isValid())
        return {};
    return indexOf(nodeOf(child)->parent);
}

int AncestryTreeModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid() && parent.column() != 0)
        return 0;
    return static_cast<int>(nodeOf(parent)->children.size());
}

int AncestryTreeModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

bool AncestryTreeModel::hasChildren(const QModelIndex &parent) const
{
    if (parent.isValid() && parent.column() != 0)
        return false;
    const Node *n = nodeOf(parent);
    return !n->children.empty() || !n->loaded;
}

bool AncestryTreeModel::canFetchMore(const QModelIndex &parent) const
{
    if (!parent.isValid() || parent.column() != 0)
        return false;
    const Node *n = nodeOf(parent);
    return !n->group && !n->loaded && !n->requested;
}

void AncestryTreeModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    Node *n = nodeOf(parent);
    n->requested = true;
    emit childrenRequested(n->key, n->info.id);
}

void AncestryTreeModel::setAnnotationColors(const QHash<qint64, QColor> &colors)
{
    if (colors == m_annotationColors)
        return;
    m_annotationColors = colors;
    // The tree is small (chains of one selection): a layout change repaints every row.
    emit layoutAboutToBeChanged();
    emit layoutChanged();
}

QVariant AncestryTreeModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    const Node *n = nodeOf(index);
    switch (role) {
    case ProcessIdRole:
        return QVariant::fromValue<qlonglong>(n->group ? 0 : n->info.id);
    case HostIdRole:
        return QVariant::fromValue<qlonglong>(n->info.hostId);
    case AccountIdRole:
        return QVariant::fromValue<qlonglong>(n->info.accountId);
    case ImageRole:
        return n->info.image;
    case OnChainRole:
        return n->onChain;
    case IsTargetRole:
        return n->target;
    case IsGroupRole:
        return n->group;
    case NodeKeyRole:
        return QVariant::fromValue<quint64>(n->key);
    case Qt::DecorationRole:
        if (!n->group && index.column() == Image)
            if (const auto it = m_annotationColors.constFind(n->info.id); it != m_annotationColors.cend())
                return *it;
        return {};
    case Qt::FontRole:
        if (n->target || n->group) {
            QFont f;
            f.setBold(true);
            return f;
        }
        return {};
    case Qt::ToolTipRole:
        // Tool tips are auto-detected rich text: escape, never pass log text through raw.
        if (!n->group && index.column() == CommandLine && !n->info.commandLine.isEmpty())
            return QStringLiteral("<p style='white-space:pre-wrap'>%1</p>").arg(n->info.commandLine.toHtmlEscaped());
        return {};
    case Qt::DisplayRole:
        break;
    default:
        return {};
    }
    if (n->group)
        return index.column() == Image ? QVariant(n->label) : QVariant();
    const ProcessInfo &p = n->info;
    switch (index.column()) {
    case Image:
        return p.image;
    case CommandLine:
        return p.commandLine;
    case Account:
        return p.account;
    case LogonId:
        return p.logonId;
    case Start:
        return formatTime(p.startTs);
    case Host:
        return p.host;
    case Pid:
        return p.pid >= 0 ? QVariant(QString::number(p.pid)) : QVariant(QString());
    case Guid:
        return p.guid;
    default:
        return {};
    }
}

QVariant AncestryTreeModel::headerData(int section, Qt::Orientation o, int role) const
{
    if (o != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Image:
        return tr("Image");
    case CommandLine:
        return tr("Command line");
    case Account:
        return tr("Account");
    case LogonId:
        return tr("Logon id");
    case Start:
        return tr("Start (%1)").arg(displayTimeZoneName());
    case Host:
        return tr("Host");
    case Pid:
        return tr("PID");
    case Guid:
        return tr("GUID");
    default:
        return {};
    }
}

} // namespace tt
