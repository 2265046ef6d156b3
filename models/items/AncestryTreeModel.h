#pragma once

#include "query/AncestryQuery.h"

#include <QAbstractItemModel>
#include <QColor>
#include <QHash>

#include <memory>
#include <vector>

namespace tt {

// Process ancestry as a tree: the chain from the root process down to the one asked for, each
// node's other children loaded on demand (fetchMore -> childrenRequested -> setChildren, the
// query runs in the owner's worker). For a transfer, two group roots: "pushed by" (source
// process) and "executed by" (destination process). Display strings are the raw log text.
class AncestryTreeModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Column { Image, CommandLine, Account, LogonId, Start, Host, Pid, Guid, ColumnCount };
    enum Role {
        ProcessIdRole = Qt::UserRole + 1, // qint64, 0 on group rows
        HostIdRole,
        AccountIdRole,
        ImageRole, // the process image (for pivots)
        OnChainRole, // bool: on the chain to the asked-for process
        IsTargetRole, // bool: the asked-for process itself
        IsGroupRole, // bool: a "pushed by" / "executed by" row
        NodeKeyRole, // quint64: stable key of the node for this model's lifetime
    };

    explicit AncestryTreeModel(QObject *parent = nullptr);
    ~AncestryTreeModel() override;

    void clear();
    void setChain(const ProcessChain &chain);
    void setTransfer(const TransferSides &sides);
    // Children of a node loaded by the owner; ignored when the node is gone (a newer reset).
    void setChildren(quint64 nodeKey, const std::vector<ProcessInfo> &children);
    QString note() const { return m_note; } // cycle / truncation / unknown side, for a status line
    QModelIndex indexForKey(quint64 nodeKey) const;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    bool hasChildren(const QModelIndex &parent = {}) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation o, int role) const override;

    // Annotated processes (processes.id -> badge colour): a swatch before the image. Repaints.
    void setAnnotationColors(const QHash<qint64, QColor> &colors);

signals:
    void childrenRequested(quint64 nodeKey, qint64 processId);

private:
    struct Node;
    Node *nodeOf(const QModelIndex &index) const;
    Node *addChild(Node *parent, const ProcessInfo *info, const QString &label);
    void appendChain(Node *under, const ProcessChain &chain);
    QModelIndex indexOf(const Node *n, int column = 0) const;

    std::unique_ptr<Node> m_root;
    QHash<quint64, Node *> m_byKey;
    quint64 m_nextKey = 1;
    QString m_note;
    QHash<qint64, QColor> m_annotationColors;
};

} // namespace tt
