#pragma once

#include "store/AnnotationStore.h"

#include <QAbstractTableModel>

#include <vector>

class QColor;
class QIcon;

namespace tt {

class AnnotationController;

// Every annotation of the case, newest first, filtered by tag / text / bookmarked.
class AnnotationListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Kind, Item, Tags, Note, Modified, ColumnCount };
    enum Roles { KindRole = Qt::UserRole + 1, KeyRole };
    explicit AnnotationListModel(AnnotationController *c, QObject *parent = nullptr);

    void setFilter(int64_t tagId, const QString &text, bool bookmarkedOnly); // tagId 0 = any
    const store::Annotation *at(int row) const;
    // The 12 px colour dot shown beside an item (and beside a tag in the notes dock's filter).
    static QIcon colorDot(const QColor &c);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation o, int role) const override;

private:
    void rebuild();

    AnnotationController *m_c;
    std::vector<size_t> m_rows; // indexes into m_c->all()
    int64_t m_tag = 0;
    QString m_text;
    bool m_bookmarked = false;
};

} // namespace tt
