#pragma once

#include "query/TransferTableQuery.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QPointer>
#include <QSet>
#include <QVector>

#include <functional>

namespace tt {

class AnnotationController;

// The transfers table: one row per transfer of the list the owner hands over (ids in display
// order, already sorted and filtered in SQL). Lazy in two ways (DB4S-style): rows are revealed a
// page at a time through canFetchMore / fetchMore, and a revealed row's columns arrive one page
// (kPageSize rows) at a time when a view first asks for them: data() on a missing page emits
// pageNeeded once, the owner queries off the UI thread and hands the rows to setPage(). Every
// setList() starts a new generation; pages of an older list are dropped.
//
// Case strings are attacker-controlled: shown as plain text with control and bidi characters
// made visible, and escaped inside tool tips (which Qt would otherwise read as rich text).
class TransferTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum RoleId { TransferIdRole = Qt::UserRole + 1, LoadedRole };
    static constexpr int kPageSize = 200;

    explicit TransferTableModel(QObject *parent = nullptr);

    // Tags / notes column and the bookmark star; repaints on the controller's changed().
    void setAnnotations(AnnotationController *annotations);
    // What raised or lowered a row's score ("dst-write +0.80", "no source: capped at 0.70"), one
    // line each, for the Confidence column's tool tip. The scoring lives in graph/inference: the
    // owner installs it; without it the tip names the rules and evidence counts only.
    using ReasonsFn = std::function<QStringList(const TransferTableRow &)>;
    void setConfidenceReasons(ReasonsFn fn) { m_reasons = std::move(fn); }
    // A new list; `firstPage` holds the rows of ids[0, kPageSize) when the owner fetched them with it.
    quint64 setList(QVector<qint64> ids, std::vector<TransferTableRow> firstPage = {});
    void clear() { setList({}); }
    quint64 generation() const { return m_generation; }
    void setPage(quint64 generation, int page, std::vector<TransferTableRow> rows);
    void requestPage(int page) const; // no-op when loaded or pending
    bool isPageLoaded(int page) const { return m_pages.contains(page); }

    int totalCount() const { return static_cast<int>(m_ids.size()); }
    const QVector<qint64> &ids() const { return m_ids; }
    qint64 transferAt(int row) const;
    const TransferTableRow *rowAt(int row) const; // nullptr until its page is loaded
    int rowOfTransfer(qint64 id) const; // -1 when not listed (revealed or not)
    // Reveals every row up to `row` (pages of rows, so fetchMore keeps its rhythm).
    void revealThrough(int row);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation o, int role) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

    // Plain text fit for one table cell: control characters and bidi overrides made visible.
    static QString cellText(const QString &s);

signals:
    void pageNeeded(quint64 generation, int page, const QVector<qint64> &ids);

private:
    QVariant display(const TransferTableRow &r, int column) const;
    QString tagsText(const TransferTableRow &r) const;

    QVector<qint64> m_ids;
    mutable QHash<qint64, int> m_rowOf; // built on first lookup
    int m_revealed = 0;
    QHash<int, std::vector<TransferTableRow>> m_pages;
    mutable QSet<int> m_pending;
    quint64 m_generation = 0;
    QPointer<AnnotationController> m_annotations;
    ReasonsFn m_reasons;
};

} // namespace tt
