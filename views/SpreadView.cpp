#include "SpreadView.h"

#include "GraphExport.h"
#include "MethodPalette.h"
#include "SpreadActions.h"
#include "WorkerQuery.h"
#include "items/TimeFormat.h"
#include "workbench/Selection.h"

#include <QFileDialog>
#include <QFontMetricsF>
#include <QGraphicsRectItem>
#include <QGraphicsScene>
#include <QGraphicsSimpleTextItem>
#include <QGraphicsView>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPainter>
#include <QPainterPath>
#include <QPushButton>
#include <QSet>
#include <QSplitter>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace tt {

namespace {
// Picture geometry, scene units: one column per hop depth, one row per host in tree order.
constexpr double kNodeW = 190, kNodeH = 44, kColumn = 340, kRow = 62, kMargin = 16;
const QColor kRan(0xF4, 0xB6, 0xB6), kNeverRan(0xE4, 0xE4, 0xE8), kOrigin(0xFF, 0xF2, 0xB3);

QString via(const SpreadHop &h)
{
    QString s = h.method;
    if (!h.account.isEmpty())
        s += QStringLiteral(" by ") + h.account;
    if (!h.srcProcess.isEmpty())
        s += QStringLiteral(" (") + h.srcProcess + QLatin1Char(')');
    return s;
}

QString matchText(const SpreadResult &r)
{
    if (r.match == SpreadMatch::Hash)
        return QObject::tr("matched by hash: %1").arg(r.matchedOn);
    return QObject::tr("matched by file name \"%1\" (no hash recorded)").arg(r.matchedOn);
}

QGraphicsSimpleTextItem *text(QGraphicsScene *s, const QString &t, QPointF at, double pointSize, bool bold = false)
{
    auto *item = s->addSimpleText(t); // plain text: never rich text from a log
    QFont f = item->font();
    f.setPointSizeF(pointSize);
    f.setBold(bold);
    item->setFont(f);
    item->setPos(at);
    return item;
}
} // namespace

SpreadView::SpreadView(Selection *selection, QWidget *parent)
    : QWidget(parent)
    , m_selection(selection)
    , m_input(new QLineEdit(this))
    , m_summary(new QLabel(this))
    , m_tree(new QTreeWidget(this))
    , m_scene(new QGraphicsScene(this))
    , m_picture(new QGraphicsView(m_scene, this))
    , m_export(new QPushButton(tr("Export Picture..."), this))
{
    m_input->setPlaceholderText(tr("File name, path or hash (MD5 / SHA1 / SHA256)"));
    m_input->setClearButtonEnabled(true);
    m_input->setObjectName(QStringLiteral("spreadInput"));
    auto *go = new QPushButton(tr("Show Spread"), this);
    m_export->setEnabled(false);
    m_summary->setTextFormat(Qt::PlainText);
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setText(tr("Pick a transfer (context menu: Show Tool Spread) or type a file name, path or hash."));
    m_tree->setColumnCount(4);
    m_tree->setHeaderLabels({tr("Host"), tr("First seen"), tr("Via (method by account (process))"), tr("Ran?")});
    m_tree->setUniformRowHeights(true);
    m_tree->header()->setSectionResizeMode(QHeaderView::Interactive);
    m_tree->setColumnWidth(0, 200);
    m_tree->setColumnWidth(1, 170);
    m_tree->setColumnWidth(2, 340);
    m_picture->setRenderHint(QPainter::Antialiasing);
    m_picture->setDragMode(QGraphicsView::ScrollHandDrag);

    auto *top = new QHBoxLayout;
    top->addWidget(m_input, 1);
    top->addWidget(go);
    top->addWidget(m_export);
    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(m_tree);
    split->addWidget(m_picture);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    split->setSizes({600, 400});
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(top);
    layout->addWidget(m_summary);
    layout->addWidget(split, 1);

    connect(go, &QPushButton::clicked, this, [this] { showForFile(m_input->text()); });
    connect(m_input, &QLineEdit::returnPressed, this, [this] { showForFile(m_input->text()); });
    connect(m_export, &QPushButton::clicked, this, &SpreadView::chooseExportPicture);
    // A row is the hop that brought the file to that host: picking it selects the transfer everywhere.
    connect(m_tree, &QTreeWidget::itemClicked, this, [this](QTreeWidgetItem *item) {
        const qint64 t = item->data(0, Qt::UserRole).toLongLong();
        if (t <= 0)
            return;
        if (m_selection) {
            SelectedEntities s;
            s.kind = SelectedEntities::Kind::Transfer;
            s.transfers = {t};
            m_selection->select(s);
        }
        emit transferPicked(t);
    });
}

SpreadView::~SpreadView() = default;

void SpreadView::setCase(const QString &path)
{
    m_path = path;
    ++m_generation; // a result for the previous case is dropped
    apply(SpreadResult {});
    m_summary->setText(tr("Pick a transfer (context menu: Show Tool Spread) or type a file name, path or hash."));
}

template<typename Job> void SpreadView::run(const QString &label, Job job)
{
    if (m_path.isEmpty()) {
        m_summary->setText(tr("No case open"));
        emit shown();
        return;
    }
    const uint64_t generation = ++m_generation;
    m_summary->setText(tr("Finding where %1 went...").arg(visibleControls(label, 200)));
    runCaseQuery<SpreadResult>(this, m_path, std::move(job), [this, generation](SpreadResult &r, const QString &error) {
        if (generation != m_generation)
            return;
        if (!error.isEmpty())
            r.error = error;
        apply(r);
    });
}

void SpreadView::showForTransfer(qint64 transferId)
{
    run(tr("transfer %1").arg(transferId),
        [transferId](store::CaseStore &cs) { return querySpreadForTransfer(cs, transferId); });
}

void SpreadView::showForFile(const QString &file)
{
    m_input->setText(file);
    run(file, [file](store::CaseStore &cs) { return querySpread(cs, file); });
}

void SpreadView::apply(const SpreadResult &r)
{
    m_result = r;
    if (r.found() && m_input->text().isEmpty())
        m_input->setText(r.variants.empty() ? QString() : r.variants.front().name);
    fillTree();
    render();
    m_export->setEnabled(r.found());
    emit shown();
}

void SpreadView::refreshTimes()
{
    fillTree();
    render();
}

void SpreadView::fillTree()
{
    const SpreadResult &r = m_result;
    m_tree->clear();
    if (!r.found()) {
        if (!r.error.isEmpty())
            m_summary->setText(r.error);
        return;
    }
    const SpreadNode &p0 = r.nodes[size_t(r.patientZero)];
    QStringList renamed;
    for (size_t i = 1; i < r.variants.size(); ++i)
        renamed << visibleControls(r.variants[i].name);
    QString summary
        = tr("%1 - %2.\nPatient zero: %3. %4 host(s), %5 hop(s); ran on %6 host(s), received and never ran on %7.")
              .arg(visibleControls(r.variants.front().name), matchText(r), visibleControls(p0.name),
                  QString::number(r.nodes.size()), QString::number(r.hops.size()), QString::number(r.ranOn().size()),
                  QString::number(r.receivedNeverRan().size()));
    if (!renamed.isEmpty())
        summary += tr("\nRenamed copies (same hash): %1").arg(renamed.join(QStringLiteral(", ")));
    if (!r.otherFiles.isEmpty())
        summary += tr("\n%n other file(s) share the name (other hash).", nullptr, int(r.otherFiles.size()));
    m_summary->setText(summary);

    std::vector<QTreeWidgetItem *> items(r.nodes.size(), nullptr);
    for (int n : r.order) {
        const SpreadNode &node = r.nodes[size_t(n)];
        QString how = n == r.patientZero ? tr("patient zero") : tr("origin (pushed it before receiving it)");
        qint64 transfer = 0;
        if (node.via >= 0) {
            const SpreadHop &h = r.hops[size_t(node.via)];
            how = visibleControls(via(h), 200);
            if (h.fileName.compare(r.variants.front().name, Qt::CaseInsensitive) != 0)
                how += tr(" as %1").arg(visibleControls(h.fileName));
            if (node.inbound > 1)
                how += tr(" (+%n later cop(ies))", nullptr, node.inbound - 1);
            transfer = h.transferId;
        }
        const QString ran = node.ran ? tr("yes: %1, %2").arg(visibleControls(node.ranHow, 200), formatTime(node.ranTs))
            : node.received()        ? tr("no")
                                     : tr("not seen");
        QStringList cols {visibleControls(node.name), formatTime(node.firstSeen), how, ran};
        auto *item = node.parent >= 0 && items[size_t(node.parent)]
            ? new QTreeWidgetItem(items[size_t(node.parent)], cols)
            : new QTreeWidgetItem(m_tree, cols);
        item->setData(0, Qt::UserRole, transfer);
        item->setData(0, Qt::UserRole + 1, qint64(node.hostId));
        if (!node.detail.isEmpty())
            item->setToolTip(0, visibleControls(node.detail, 300));
        item->setBackground(3, node.ran ? kRan : node.received() ? kNeverRan : kOrigin);
        item->setToolTip(3, ran);
        if (node.via >= 0) {
            const SpreadHop &h = r.hops[size_t(node.via)];
            item->setToolTip(2,
                tr("transfer %1, %2 -> %3\n%4\nconfidence %5 (%6)")
                    .arg(QString::number(h.transferId), formatTime(h.firstTs), formatTime(h.lastTs),
                        visibleControls(h.dstPath, 300), QString::number(h.confidence, 'f', 2), h.confidenceLabel));
        }
        items[size_t(n)] = item;
    }
    m_tree->expandAll();
}

void SpreadView::render()
{
    m_scene->clear();
    const SpreadResult &r = m_result;
    if (!r.found())
        return;
    std::vector<QPointF> pos(r.nodes.size());
    for (size_t row = 0; row < r.order.size(); ++row) {
        const int n = r.order[row];
        pos[size_t(n)] = QPointF(kMargin + r.nodes[size_t(n)].depth * kColumn, kMargin + double(row) * kRow);
    }
    auto anchorOut = [&](int n) { return pos[size_t(n)] + QPointF(kNodeW, kNodeH / 2); };
    auto anchorIn = [&](int n) { return pos[size_t(n)] + QPointF(0, kNodeH / 2); };
    // Hops first, under the hosts: tree hops as elbows in the method's colour, later copies to a
    // host that had the file already dashed.
    QSet<QPair<int, int>> drawn; // a further copy along a drawn hop is in the row's "+N later copies"
    for (const SpreadHop &h : r.hops) {
        if (drawn.contains({h.src, h.dst}))
            continue;
        drawn.insert({h.src, h.dst});
        QPainterPath path;
        const QPointF a = anchorOut(h.src), b = anchorIn(h.dst);
        path.moveTo(a);
        if (h.treeEdge) {
            const double midX = a.x() + 14;
            path.lineTo(midX, a.y());
            path.lineTo(midX, b.y());
            path.lineTo(b);
        } else {
            path.cubicTo(a + QPointF(60, 0), b - QPointF(60, 0), b);
        }
        QPen pen(MethodPalette::color(h.method), h.treeEdge ? 2.0 : 1.2);
        if (!h.treeEdge)
            pen.setStyle(Qt::DashLine);
        m_scene->addPath(path, pen)->setToolTip(visibleControls(via(h), 300));
        if (h.treeEdge) {
            auto *label = text(m_scene,
                visibleControls(h.method, 26) + QLatin1Char('\n')
                    + (h.account.isEmpty() ? QString() : visibleControls(h.account, 26) + QLatin1Char('\n'))
                    + formatTime(h.firstTs).left(16),
                QPointF(a.x() + 20, b.y() - 37), 6.5);
            label->setBrush(QColor(0x44, 0x44, 0x50));
        }
    }
    for (int n : r.order) {
        const SpreadNode &node = r.nodes[size_t(n)];
        const QRectF rect(pos[size_t(n)], QSizeF(kNodeW, kNodeH));
        QPen border(QColor(0x55, 0x55, 0x60), n == r.patientZero ? 2.5 : 1);
        auto *box = m_scene->addRect(rect, border, node.ran ? kRan : node.received() ? kNeverRan : kOrigin);
        QString tip = node.ran ? node.ranHow : node.received() ? tr("received, never ran") : tr("origin");
        if (!node.detail.isEmpty())
            tip = visibleControls(node.detail, 300) + QLatin1Char('\n') + tip;
        box->setToolTip(tip);
        text(m_scene, visibleControls(node.name, 26), rect.topLeft() + QPointF(6, 3), 9, n == r.patientZero);
        QString line2 = formatTime(node.firstSeen).left(16);
        line2 += node.ran ? tr("  ran") : node.received() ? tr("  never ran") : QString();
        text(m_scene, line2, rect.topLeft() + QPointF(6, 22), 7.5);
    }
    // A legend under the tree: what the fills and dashes mean.
    const double y = kMargin + double(r.order.size()) * kRow + 4;
    double x = kMargin;
    for (const auto &[colour, label] : {std::pair {kOrigin, tr("origin")}, std::pair {kRan, tr("ran")},
             std::pair {kNeverRan, tr("received, never ran")}}) {
        m_scene->addRect(QRectF(x, y, 14, 14), QPen(QColor(0x55, 0x55, 0x60)), colour);
        x += 20 + text(m_scene, label, QPointF(x + 18, y), 8)->boundingRect().width() + 14;
    }
    text(m_scene, tr("thick border: patient zero; dashed: a further copy to a host that had it"), QPointF(x, y), 8);
    m_scene->setSceneRect(m_scene->itemsBoundingRect().adjusted(-kMargin, -kMargin, kMargin, kMargin));
    fitPicture();
}

void SpreadView::fitPicture()
{
    const QRectF r = m_scene->sceneRect();
    const QSizeF vp = m_picture->viewport()->size();
    if (r.isEmpty() || vp.isEmpty())
        return;
    const double s = std::min({1.0, vp.width() / r.width(), vp.height() / r.height()});
    m_picture->setTransform(QTransform::fromScale(s, s));
    m_picture->centerOn(r.center());
}

void SpreadView::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    fitPicture();
}

bool SpreadView::exportPicture(const QString &path, QString *error) const
{
    if (!m_result.found()) {
        if (error)
            *error = tr("no spread shown");
        return false;
    }
    const ExportFormat format = exportFormatFor(path);
    if (format != ExportFormat::Png && format != ExportFormat::Svg && format != ExportFormat::Pdf) {
        if (error)
            *error = tr("%1: the spread picture is .png, .svg or .pdf").arg(path);
        return false;
    }
    const QRectF source = m_scene->sceneRect();
    SnapshotOptions options;
    options.caption
        = tr("Tool spread of %1 - %2").arg(visibleControls(m_result.variants.front().name), matchText(m_result));
    options.scale = 2;
    return writePicture([this, source](QPainter *p,
                            const QRectF &target) { m_scene->render(p, target, source, Qt::IgnoreAspectRatio); },
        source.size(), path, format, options, error);
}

void SpreadView::chooseExportPicture()
{
    const QString path
        = QFileDialog::getSaveFileName(this, tr("Export Tool Spread"), QString(), tr("Pictures (*.png *.svg *.pdf)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!exportPicture(path, &error)) {
        QMessageBox box(QMessageBox::Warning, tr("Export"), error, QMessageBox::Ok, this);
        box.setTextFormat(Qt::PlainText);
        box.exec();
    }
}

} // namespace tt
