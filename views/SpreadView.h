#pragma once

#include "query/SpreadQuery.h"

#include <QWidget>

#include <cstdint>

class QGraphicsScene;
class QGraphicsView;
class QLabel;
class QLineEdit;
class QPushButton;
class QTreeWidget;
class QTreeWidgetItem;

namespace tt {

class Selection;

// The Tool Spread dock (issue 11, item 3): where one file went. A tree of hosts from patient zero
// (first seen, via whom / how, ran?), the hops in time order, and a picture of the spread (one
// column per hop depth, one row per host) that exports as PNG / SVG / PDF with the graph's
// picture code. The query (models/query/SpreadQuery) runs on a worker; a newer request drops an
// older result. Every case string is shown as plain text.
class SpreadView : public QWidget {
    Q_OBJECT
public:
    explicit SpreadView(Selection *selection, QWidget *parent = nullptr);
    ~SpreadView() override;

    void setCase(const QString &path);
    void showForTransfer(qint64 transferId);
    void showForFile(const QString &file);
    // Times follow the display zone (models/items/TimeFormat): re-render after it changes.
    void refreshTimes();

    const SpreadResult &result() const { return m_result; }
    QTreeWidget *tree() const { return m_tree; }
    QGraphicsScene *scene() const { return m_scene; }
    QLabel *summary() const { return m_summary; }
    // The picture (PNG / SVG / PDF by suffix), with a caption naming the file and the matching.
    bool exportPicture(const QString &path, QString *error) const;
    void chooseExportPicture();

signals:
    void shown(); // a result (or an error) was applied
    void transferPicked(qint64 transferId);

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void fitPicture(); // the whole spread in view, never enlarged
    template<typename Job> void run(const QString &label, Job job);
    void apply(const SpreadResult &r);
    void render();
    void fillTree();

    Selection *m_selection;
    QString m_path;
    uint64_t m_generation = 0;
    SpreadResult m_result;
    QLineEdit *m_input;
    QLabel *m_summary;
    QTreeWidget *m_tree;
    QGraphicsScene *m_scene;
    QGraphicsView *m_picture;
    QPushButton *m_export;
};

} // namespace tt
