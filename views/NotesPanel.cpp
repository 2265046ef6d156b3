#include "NotesPanel.h"

#include "WorkerQuery.h"
#include "items/AnnotationListModel.h"
#include "query/AnnotatedItemQuery.h"
#include "workbench/AnnotationController.h"
#include "workbench/FilterHistory.h"
#include "workbench/Selection.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QTableView>
#include <QVBoxLayout>

namespace tt {

NotesPanel::NotesPanel(AnnotationController *c, FilterHistory *filter, Selection *selection, QWidget *parent)
    : QWidget(parent)
    , m_c(c)
    , m_filter(filter)
    , m_selection(selection)
    , m_tag(new QComboBox(this))
    , m_search(new QLineEdit(this))
    , m_bookmarked(new QCheckBox(tr("Bookmarked"), this))
    , m_status(new QLabel(this))
    , m_view(new QTableView(this))
    , m_model(new AnnotationListModel(c, this))
{
    setObjectName(QStringLiteral("notesPanel"));
    m_search->setPlaceholderText(tr("Search notes"));
    m_search->setClearButtonEnabled(true);
    m_tag->setObjectName(QStringLiteral("notesTag"));
    m_status->setTextFormat(Qt::PlainText);
    m_view->setObjectName(QStringLiteral("notesTable"));
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(false);
    m_view->horizontalHeader()->setSectionResizeMode(AnnotationListModel::Note, QHeaderView::Stretch);
    auto *top = new QHBoxLayout;
    top->addWidget(m_tag);
    top->addWidget(m_search, 1);
    top->addWidget(m_bookmarked);
    auto *lay = new QVBoxLayout(this);
    lay->setContentsMargins(0, 0, 0, 0);
    lay->addLayout(top);
    lay->addWidget(m_view, 1);
    lay->addWidget(m_status);

    connect(m_search, &QLineEdit::textChanged, this, &NotesPanel::applyFilter);
    connect(m_bookmarked, &QCheckBox::toggled, this, &NotesPanel::applyFilter);
    connect(m_tag, &QComboBox::currentIndexChanged, this, &NotesPanel::applyFilter);
    connect(m_c, &AnnotationController::changed, this, &NotesPanel::fillTags);
    connect(m_view, &QTableView::activated, this, [this](const QModelIndex &i) { navigate(i.row()); });
    connect(m_view, &QTableView::clicked, this, [this](const QModelIndex &i) { navigate(i.row()); });
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_view, &QWidget::customContextMenuRequested, this, [this](const QPoint &at) {
        const int row = m_view->indexAt(at).row();
        const store::Annotation *a = m_model->at(row);
        if (!a || !a->conflictCopy)
            return;
        QMenu menu(this);
        menu.addAction(tr("Use This Text"), this, [this, row] { resolveConflictCopy(row, true); })
            ->setEnabled(m_c->writable());
        menu.addAction(tr("Delete Conflict Copy"), this, [this, row] { resolveConflictCopy(row, false); })
            ->setEnabled(m_c->writable());
        menu.exec(m_view->viewport()->mapToGlobal(at));
    });
    connect(m_model, &QAbstractItemModel::modelReset, this,
        [this] { m_status->setText(tr("%1 of %2 annotations").arg(m_model->rowCount()).arg(m_c->all().size())); });
    fillTags();
}

void NotesPanel::setCase(const QString &path)
{
    m_path = path;
    ++m_generation;
}

void NotesPanel::fillTags()
{
    const qint64 current = m_tag->currentData().toLongLong();
    QSignalBlocker block(m_tag);
    m_tag->clear();
    m_tag->addItem(tr("All tags"), qint64(0));
    for (const store::Tag &t : m_c->tags())
        m_tag->addItem(AnnotationListModel::colorDot(QColor(QString::fromStdString(t.color))),
            QString::fromStdString(t.name), qint64(t.id));
    const int at = m_tag->findData(current);
    m_tag->setCurrentIndex(at < 0 ? 0 : at);
    m_status->setText(tr("%1 of %2 annotations").arg(m_model->rowCount()).arg(m_c->all().size()));
}

bool NotesPanel::resolveConflictCopy(int row, bool useText)
{
    const store::Annotation *a = m_model->at(row);
    if (!a || !a->conflictCopy)
        return false;
    const store::Annotation copy = *a; // the model resets on every write below
    if (useText) {
        const AnnotationRef ref {copy.kind, QString::fromStdString(copy.key), QString::fromStdString(copy.label)};
        store::Annotation now = m_c->find(copy.kind, ref.key).value_or(store::Annotation {});
        now.note = copy.note;
        now.markdown = copy.markdown;
        if (!m_c->put(ref, now, tr("Use the conflict copy's text for %1").arg(ref.label)))
            return false;
    }
    return m_c->removeConflictCopy(copy.id);
}

void NotesPanel::applyFilter()
{
    m_model->setFilter(m_tag->currentData().toLongLong(), m_search->text().trimmed(), m_bookmarked->isChecked());
}

void NotesPanel::navigate(int row)
{
    const store::Annotation *a = m_model->at(row);
    if (!a || m_path.isEmpty())
        return;
    const store::TargetKind kind = a->kind;
    const std::string key = a->key;
    const uint64_t gen = ++m_generation;
    runCaseQuery<AnnotatedItem>(
        this, m_path, [kind, key](store::CaseStore &cs) { return resolveAnnotatedItem(cs, kind, key); },
        [this, gen](AnnotatedItem &t, const QString &error) {
            if (gen != m_generation)
                return;
            if (!error.isEmpty() || !t.error.isEmpty()) {
                m_status->setText(tr("Cannot go there: %1").arg(error.isEmpty() ? t.error : error));
                return;
            }
            if (t.account) {
                FilterState f = m_filter->current();
                f.accounts = {t.account};
                m_filter->apply(f);
            } else {
                m_selection->select(t.selection);
            }
            emit navigated();
        });
}

} // namespace tt
